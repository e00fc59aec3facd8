// A bundle checked against a fixed public key (the fuzz key), then its
// statement read: what the key method does with a signature file.
#include "fuzz_support.h"
#include "fuzz_target.h"
#include "model_signing/bundle.h"
#include "model_signing/verifying.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(bundle_verify_key) {
  static std::unique_ptr<Verifier> verifier = make_key_verifier(fuzz_public_key());
  run([&] {
    VerifiedPayload verified = verifier->verify(parse_bundle(input));
    manifest_from_statement(verified.payload_type, verified.payload);
  });
}

}  // namespace model_signing::fuzz
