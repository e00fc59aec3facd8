// Rekor's canonical JSON (RFC 8785): canonicalizing is idempotent.
#include "fuzz_target.h"
#include "sigstore/tlog/canonical_json.h"
#include "util/json_util.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(canonical_json_rfc8785) {
  json_util::json doc;
  if (!run([&] { doc = json_util::parse(input, "fuzz"); })) return;
  std::string canonical;
  if (!run([&] { canonical = sigstore::canonical_json(doc); })) return;
  std::string again;
  check(run([&] { again = sigstore::canonical_json(json_util::parse(canonical, "canonical")); }),
        "canonical JSON does not parse");
  check(again == canonical, "canonical JSON is not idempotent");
}

}  // namespace model_signing::fuzz
