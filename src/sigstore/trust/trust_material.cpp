#include "sigstore/trust/trust_material.h"

#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include "crypto/ec_key.h"
#include "crypto/x509.h"
#include "model_signing/error.h"

namespace model_signing::sigstore {

namespace {

std::string log_name(const std::string& base_url) {
  std::string name = base_url;
  if (auto pos = name.find("://"); pos != std::string::npos) name = name.substr(pos + 3);
  while (!name.empty() && name.back() == '/') name.pop_back();
  return name;
}

std::string label_of(const char* kind, const std::string& name, const std::string& field) {
  std::string label = kind;
  label += " ";
  label += name.empty() ? field : name;
  return label;
}

std::string indexed(const char* field, std::size_t i) {
  return std::string(field) + "[" + std::to_string(i) + "]";
}

template <typename Entry, typename Info>
void add_all(std::deque<Entry>& out, const std::vector<Info>& items, const char* field,
             const char* kind) {
  for (std::size_t i = 0; i < items.size(); ++i) out.emplace_back(items[i], indexed(field, i), kind);
}

const TrustedLog* find_log(const std::deque<TrustedLog>& logs, const Bytes& log_id) {
  for (const auto& log : logs) {
    if (log.info.log_id == log_id) return &log;
  }
  return nullptr;
}

}  // namespace

TrustedLog::TrustedLog(TransparencyLogInstance log, std::string field, const char* kind)
    : info(std::move(log)),
      name(log_name(info.base_url)),
      label(label_of(kind, name, field)),
      field_(std::move(field)) {}

EVP_PKEY* TrustedLog::key() const {
  std::call_once(once_, [this] {
    crypto::PkeyPtr key = decode_public_key(info.public_key);
    if (!key) {
      throw Error(ErrorKind::kInvalidArgument,
                  "trusted root " + field_ + " (" + label + "): public key (" +
                      info.public_key.key_details + ") does not decode");
    }
    key_ = std::move(key);
  });
  return key_.get();
}

TrustedAuthority::TrustedAuthority(CertificateAuthority ca, std::string field, const char* kind)
    : info(std::move(ca)),
      label(label_of(kind, info.uri, field) +
            (info.subject_common_name.empty() ? "" : " (" + info.subject_common_name + ")")),
      field_(std::move(field)) {}

const std::vector<crypto::X509Ptr>& TrustedAuthority::chain() const {
  std::call_once(once_, [this] {
    std::vector<crypto::X509Ptr> chain;
    for (std::size_t j = 0; j < info.cert_chain.size(); ++j) {
      crypto::X509Ptr cert = crypto::parse_certificate_der(info.cert_chain[j]);
      if (!cert) {
        throw Error(ErrorKind::kInvalidArgument, "trusted root " + field_ + " (" + label +
                                                     "): certificate " + std::to_string(j) +
                                                     " is not valid DER");
      }
      // OpenSSL caches a certificate's extensions on first use; do it now,
      // before the certificate is shared between threads.
      X509_check_purpose(cert.get(), -1, 0);
      chain.push_back(std::move(cert));
    }
    chain_ = std::move(chain);
  });
  return chain_;
}

crypto::PkeyPtr decode_public_key(const PublicKey& key) {
  const Bytes& der = key.raw_bytes;
  if (key.key_details.rfind("PKCS1_", 0) == 0) {
    const unsigned char* p = der.data();
    crypto::PkeyPtr pkey(d2i_PublicKey(EVP_PKEY_RSA, nullptr, &p, static_cast<long>(der.size())));
    crypto::clear_openssl_errors();
    if (!pkey || p != der.data() + der.size()) return nullptr;
    return pkey;
  }
  return crypto::parse_public_key(
      std::string_view(reinterpret_cast<const char*>(der.data()), der.size()));
}

TrustMaterial::TrustMaterial(const TrustedRoot& root) {
  add_all(tlogs_, root.tlogs, "tlogs", "transparency log");
  add_all(ctlogs_, root.ctlogs, "ctlogs", "CT log");
  add_all(fulcio_cas_, root.certificate_authorities, "certificateAuthorities",
          "certificate authority");
  add_all(tsas_, root.timestamp_authorities, "timestampAuthorities", "timestamp authority");
}

const TrustedLog* TrustMaterial::find_tlog(const Bytes& log_id) const {
  return find_log(tlogs_, log_id);
}

const TrustedLog* TrustMaterial::find_ctlog(const Bytes& log_id) const {
  return find_log(ctlogs_, log_id);
}

}  // namespace model_signing::sigstore
