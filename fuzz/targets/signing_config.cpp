// A Sigstore signing config (which services to use, when).
#include "fuzz_target.h"
#include "model_signing/sigstore_trust.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(signing_config) {
  run([&] { sigstore::parse_signing_config(input); });
}

}  // namespace model_signing::fuzz
