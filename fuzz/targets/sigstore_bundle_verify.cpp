// The Sigstore bundle verifier with fixed trusted roots (production, and
// the conformance cases' own roots for Rekor v2 and timestamps), no
// identity policy, the artifact taken as the bundle says.
#include "fuzz_support.h"
#include "fuzz_target.h"
#include "model_signing/bundle.h"
#include "model_signing/sigstore.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(sigstore_bundle_verify) {
  static const std::vector<sigstore::BundleVerifier> verifiers = [] {
    std::vector<sigstore::BundleVerifier> all;
    for (const auto& root : trusted_roots()) all.emplace_back(root);
    return all;
  }();
  Bundle bundle;
  if (!run([&] { bundle = parse_bundle(input); })) return;
  sigstore::Artifact artifact = sigstore::Artifact::none();
  if (bundle.message_signature && bundle.message_signature->digest.size() == 32) {
    artifact = sigstore::Artifact::from_sha256(bundle.message_signature->digest);
  }
  for (const auto& verifier : verifiers) {
    if (run([&] { verifier.verify(bundle, artifact, {}); })) break;
  }
}

}  // namespace model_signing::fuzz
