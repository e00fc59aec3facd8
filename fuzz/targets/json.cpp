// The JSON reader every untrusted document goes through (duplicate keys,
// depth, numbers): an Error or a document that writes back and re-reads.
#include "fuzz_target.h"
#include "util/json_util.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(json) {
  json_util::json doc;
  if (!run([&] { doc = json_util::parse(input, "fuzz"); })) return;
  std::string text = doc.dump();
  json_util::json again;
  check(run([&] { again = json_util::parse(text, "fuzz"); }), "a dumped document does not parse");
  check(again == doc, "a document does not round-trip");
}

}  // namespace model_signing::fuzz
