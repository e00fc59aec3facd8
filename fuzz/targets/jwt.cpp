// OIDC identity tokens (JWTs) as a signer reads them: claims, then the
// audience and expiry checks.
#include "fuzz_target.h"
#include "sigstore/oidc/identity_token.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(jwt) {
  sigstore::IdentityToken token;
  if (!run([&] { token = sigstore::parse_identity_token(input); })) return;
  run([&] { sigstore::check_identity_token(token, 1'700'000'000); });
  run([&] { sigstore::check_identity_token(token, 0, "other", 0); });
}

}  // namespace model_signing::fuzz
