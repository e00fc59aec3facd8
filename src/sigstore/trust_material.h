// A trusted root made ready for verification: keys and certificates decoded
// once, logs findable by ID. Built from the plain-data TrustedRoot.
#pragma once

#include <string>
#include <vector>

#include "crypto/openssl.h"
#include "model_signing/sigstore_trust.h"

namespace model_signing::sigstore {

struct TrustedLog {
  TransparencyLogInstance info;
  crypto::PkeyPtr key;
  // The log's name as it signs checkpoints: baseUrl without scheme or
  // trailing slash ("rekor.sigstore.dev").
  std::string name;
  // "Rekor log rekor.sigstore.dev" / "CT log ctfe.sigstore.dev/2022".
  std::string label;
};

struct TrustedAuthority {
  CertificateAuthority info;
  std::vector<crypto::X509Ptr> chain;  // leaf-most first; back() is the anchor
  std::string label;                   // "Fulcio CA https://fulcio.sigstore.dev (sigstore)"
};

class TrustMaterial {
 public:
  // Throws Error(kInvalidArgument) naming the entry whose key or
  // certificate does not decode.
  explicit TrustMaterial(const TrustedRoot& root);

  const std::vector<TrustedLog>& tlogs() const { return tlogs_; }
  const std::vector<TrustedLog>& ctlogs() const { return ctlogs_; }
  const std::vector<TrustedAuthority>& fulcio_cas() const { return fulcio_cas_; }
  const std::vector<TrustedAuthority>& timestamp_authorities() const { return tsas_; }

  // nullptr when no log has this ID.
  const TrustedLog* find_tlog(const Bytes& log_id) const;
  const TrustedLog* find_ctlog(const Bytes& log_id) const;

 private:
  std::vector<TrustedLog> tlogs_;
  std::vector<TrustedLog> ctlogs_;
  std::vector<TrustedAuthority> fulcio_cas_;
  std::vector<TrustedAuthority> tsas_;
};

// Decodes a trusted-root public key: DER SubjectPublicKeyInfo, or a PKCS#1
// RSAPublicKey when key_details is PKCS1_*. nullptr if it does not decode.
crypto::PkeyPtr decode_public_key(const PublicKey& key);

}  // namespace model_signing::sigstore
