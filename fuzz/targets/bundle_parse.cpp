// The bundle reader: any text is parsed or rejected with an Error, and what
// parses is written back and read again to the same bundle.
#include "fuzz_target.h"
#include "model_signing/bundle.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(bundle_parse) {
  Bundle bundle;
  if (!run([&] { bundle = parse_bundle(input); })) return;
  std::string written = serialize_bundle(bundle);
  Bundle again;
  check(run([&] { again = parse_bundle(written); }), "a serialized bundle does not parse");
  check(serialize_bundle(again) == written, "a bundle does not round-trip");
}

}  // namespace model_signing::fuzz
