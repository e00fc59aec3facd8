// A trusted root made ready for verification: logs findable by ID, keys and
// certificates decoded on first use (OpenSSL 3 decoding costs ~0.15 ms per
// item, and a verification needs only a few of them). Thread-safe.
#pragma once

#include <deque>
#include <mutex>
#include <string>
#include <vector>

#include "crypto/openssl.h"
#include "model_signing/sigstore_trust.h"

namespace model_signing::sigstore {

class TrustedLog {
 public:
  TrustedLog(TransparencyLogInstance info, std::string field, const char* kind);

  const TransparencyLogInstance info;
  // The log's name as it signs checkpoints: baseUrl without scheme or
  // trailing slash ("rekor.sigstore.dev").
  const std::string name;
  // "transparency log rekor.sigstore.dev" / "CT log ctfe.sigstore.dev/2022".
  const std::string label;

  // Throws Error(kInvalidArgument) naming the entry if the key does not decode.
  EVP_PKEY* key() const;

 private:
  std::string field_;  // "tlogs[0]"
  mutable std::once_flag once_;
  mutable crypto::PkeyPtr key_;
};

class TrustedAuthority {
 public:
  TrustedAuthority(CertificateAuthority info, std::string field, const char* kind);

  const CertificateAuthority info;
  // "certificate authority https://fulcio.sigstore.dev (sigstore)".
  const std::string label;

  // Leaf-most first; back() is the trust anchor. Throws Error(kInvalidArgument)
  // naming the entry if a certificate does not decode.
  const std::vector<crypto::X509Ptr>& chain() const;

 private:
  std::string field_;
  mutable std::once_flag once_;
  mutable std::vector<crypto::X509Ptr> chain_;
};

class TrustMaterial {
 public:
  explicit TrustMaterial(const TrustedRoot& root);

  const std::deque<TrustedLog>& tlogs() const { return tlogs_; }
  const std::deque<TrustedLog>& ctlogs() const { return ctlogs_; }
  const std::deque<TrustedAuthority>& fulcio_cas() const { return fulcio_cas_; }
  const std::deque<TrustedAuthority>& timestamp_authorities() const { return tsas_; }

  // nullptr when no log has this ID.
  const TrustedLog* find_tlog(const Bytes& log_id) const;
  const TrustedLog* find_ctlog(const Bytes& log_id) const;

 private:
  std::deque<TrustedLog> tlogs_;
  std::deque<TrustedLog> ctlogs_;
  std::deque<TrustedAuthority> fulcio_cas_;
  std::deque<TrustedAuthority> tsas_;
};

// Decodes a trusted-root public key: DER SubjectPublicKeyInfo, or a PKCS#1
// RSAPublicKey when key_details is PKCS1_*. nullptr if it does not decode.
crypto::PkeyPtr decode_public_key(const PublicKey& key);

}  // namespace model_signing::sigstore
