// RFC 3339 times (trusted roots, timestamps): what parses is written back
// and read again to the same instant.
#include "fuzz_target.h"
#include "model_signing/sigstore_trust.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(rfc3339) {
  sigstore::Time t;
  if (!run([&] { t = sigstore::parse_rfc3339(input, "fuzz"); })) return;
  sigstore::Time again;
  check(run([&] { again = sigstore::parse_rfc3339(sigstore::format_time(t), "fuzz"); }),
        "a formatted time does not parse");
  check(again == t, "a time does not round-trip");
}

}  // namespace model_signing::fuzz
