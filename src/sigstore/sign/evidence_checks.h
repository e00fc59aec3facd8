// What the signer checks, with the Sigstore verifier and against the trusted
// root, before it signs and before it hands a bundle back: the certificate
// Fulcio issued (chain to a trusted Fulcio CA, profile, embedded SCT), each
// timestamp, each log entry (body, inclusion proof, checkpoint, SET), and
// finally the whole bundle.
#pragma once

#include <string>
#include <vector>

#include "crypto/openssl.h"
#include "model_signing/bundle.h"
#include "model_signing/sigstore.h"
#include "model_signing/sigstore_trust.h"
#include "sigstore/tlog/entry_body.h"
#include "sigstore/trust/trust_material.h"

namespace model_signing::sigstore {

class EvidenceChecks {
 public:
  explicit EvidenceChecks(const TrustedRoot& root);

  // Each throws Error naming `service` and the check that failed.
  void issued_certificate(X509* leaf, Time now, const std::string& service) const;
  void timestamp(const Bytes& response, const Bytes& signature, const std::string& service) const;
  void log_entry(const TransparencyLogEntry& entry, const SignedContent& content,
                 const std::string& service) const;
  // The finished bundle, verified for the identity its certificate names.
  void signed_bundle(const Bundle& bundle, X509* leaf, const Artifact& artifact) const;

 private:
  TrustMaterial trust_;
  BundleVerifier verifier_;
};

}  // namespace model_signing::sigstore
