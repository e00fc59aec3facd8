// A bundle checked against a fixed trust anchor (the shared vectors' CA),
// the leaf allowed to have expired so that the checks after the chain run.
#include "fuzz_support.h"
#include "fuzz_target.h"
#include "model_signing/bundle.h"
#include "model_signing/verifying.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(bundle_verify_certificate) {
  static std::unique_ptr<Verifier> verifier = [] {
    CertificateVerifierOptions options;
    options.trust_anchors = {shared_dir() / "vectors/model-transparency/keys/certificate/ca-cert.pem"};
    options.allow_expired_certificate = true;
    options.log_fingerprints = true;
    return make_certificate_verifier(options);
  }();
  run([&] {
    VerifiedPayload verified = verifier->verify(parse_bundle(input));
    manifest_from_statement(verified.payload_type, verified.payload);
  });
}

}  // namespace model_signing::fuzz
