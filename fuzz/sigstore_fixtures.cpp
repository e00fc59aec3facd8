#include "sigstore_fixtures.h"

#include "crypto/x509.h"
#include "fuzz_support.h"
#include "model_signing/sigstore_trust.h"

namespace model_signing::fuzz {

const std::vector<std::unique_ptr<SigstoreCase>>& sigstore_cases() {
  static const std::vector<std::unique_ptr<SigstoreCase>> cases = [] {
    std::vector<std::unique_ptr<SigstoreCase>> all;
    auto production = std::make_shared<sigstore::TrustMaterial>(trusted_roots().front());
    for (const char* name : {"happy-path-v0.3", "happy-path-intoto-in-dsse-v3", "rekor2-happy-path",
                             "rekor2-dsse-happy-path", "rekor2-timestamp-with-embedded-cert"}) {
      std::string dir = std::string("sigstore/conformance-sample/") + name;
      std::string text = read_shared(dir + "/bundle.sigstore.json");
      if (text.empty()) continue;
      auto c = std::make_unique<SigstoreCase>();
      c->bundle = parse_bundle(text);
      std::string root = read_shared(dir + "/trusted_root.json");
      c->trust = root.empty() ? production
                              : std::make_shared<sigstore::TrustMaterial>(sigstore::parse_trusted_root(root));
      const VerificationMaterial& vm = c->bundle.verification_material;
      if (!vm.certificates.empty()) {
        c->leaf = crypto::parse_certificate_der(vm.certificates.front());
        c->content.certificate = c->leaf.get();
      }
      if (c->bundle.dsse_envelope) {
        c->content.envelope = &*c->bundle.dsse_envelope;
        c->content.signature = c->bundle.dsse_envelope->signatures.at(0).sig;
      } else if (c->bundle.message_signature) {
        c->content.signature = c->bundle.message_signature->signature;
        Bytes digest = c->bundle.message_signature->digest;
        c->content.artifact_digest = [digest](const EVP_MD* md) -> std::optional<Bytes> {
          if (EVP_MD_get_type(md) == NID_sha256) return digest;
          return std::nullopt;
        };
      }
      all.push_back(std::move(c));
    }
    return all;
  }();
  return cases;
}

}  // namespace model_signing::fuzz
