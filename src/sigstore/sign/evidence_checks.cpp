#include "sigstore/sign/evidence_checks.h"

#include "model_signing/error.h"
#include "sigstore/certificate/certificate_identity.h"
#include "sigstore/certificate/certificate_transparency.h"
#include "sigstore/certificate/fulcio_certificate.h"
#include "sigstore/timestamp/rfc3161_timestamp.h"
#include "sigstore/tlog/transparency_log.h"
#include "util/error_context.h"

namespace model_signing::sigstore {

using util::with_error_prefix;

EvidenceChecks::EvidenceChecks(const TrustedRoot& root) : trust_(root), verifier_(root) {}

void EvidenceChecks::issued_certificate(X509* leaf, Time now, const std::string& service) const {
  with_error_prefix(service + " issued a certificate that is not trusted", [&] {
    FulcioChain chain = verify_fulcio_chain(leaf, trust_, {{now, "signing time"}});
    check_fulcio_profile(leaf);
    verify_embedded_scts(leaf, chain.issuer.get(), trust_);
  });
}

void EvidenceChecks::timestamp(const Bytes& response, const Bytes& signature,
                               const std::string& service) const {
  with_error_prefix(service + " returned a timestamp that does not verify",
             [&] { verify_rfc3161_timestamp(response, signature, trust_); });
}

void EvidenceChecks::log_entry(const TransparencyLogEntry& entry, const SignedContent& content,
                               const std::string& service) const {
  with_error_prefix(service + " returned a log entry that does not verify", [&] {
    TlogRequirements required;
    // A Rekor v1 entry must come with its signed entry timestamp: it is the
    // log's promise, and the time the certificate is checked at. (Rekor v2
    // entries have none; the requirement applies to v1 entries only.)
    required.inclusion_promise = true;
    required.inclusion_proof = true;
    verify_tlog_entry(entry, trust_, content, required);
  });
}

void EvidenceChecks::signed_bundle(const Bundle& bundle, X509* leaf,
                                   const Artifact& artifact) const {
  with_error_prefix("the signed bundle does not verify", [&] {
    auto identities = certificate_identities(leaf);
    auto issuer = certificate_oidc_issuer(leaf);
    if (identities.empty() || !issuer) {
      throw Error(ErrorKind::kUntrustedSigner,
                  "the certificate names no identity or no OIDC issuer");
    }
    VerificationPolicy policy;
    policy.identity = CertificateIdentity{identities.front(), *issuer};
    verifier_.verify(bundle, artifact, policy);
  });
}

}  // namespace model_signing::sigstore
