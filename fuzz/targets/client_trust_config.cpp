// A client trust config (a trusted root and a signing config together).
#include "fuzz_target.h"
#include "model_signing/sigstore_trust.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(client_trust_config) {
  run([&] { sigstore::parse_client_trust_config(input); });
}

}  // namespace model_signing::fuzz
