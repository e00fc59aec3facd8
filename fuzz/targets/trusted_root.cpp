// A trusted root: parsed, its keys and certificates decoded, and a bundle
// verifier built on it.
#include "fuzz_target.h"
#include "model_signing/sigstore.h"
#include "model_signing/sigstore_trust.h"
#include "sigstore/trust/trust_material.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(trusted_root) {
  run([&] {
    sigstore::TrustedRoot root = sigstore::parse_trusted_root(input);
    sigstore::TrustMaterial material(root);
    for (const auto& log : material.tlogs()) log.key();
    for (const auto& log : material.ctlogs()) log.key();
    for (const auto& ca : material.fulcio_cas()) ca.chain();
    for (const auto& tsa : material.timestamp_authorities()) tsa.chain();
    sigstore::BundleVerifier verifier(root);
  });
}

}  // namespace model_signing::fuzz
