#include "sigstore/trust_material.h"

#include <openssl/x509.h>

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

// "#3" for nameless entries.
std::string name_or_index(const std::string& name, std::size_t i) {
  if (!name.empty()) return name;
  std::string out = "#";
  out += std::to_string(i);
  return out;
}

std::vector<TrustedLog> decode_logs(const std::vector<TransparencyLogInstance>& logs,
                                    const char* field, const char* kind) {
  std::vector<TrustedLog> out;
  for (std::size_t i = 0; i < logs.size(); ++i) {
    TrustedLog log;
    log.info = logs[i];
    log.key = decode_public_key(logs[i].public_key);
    log.name = log_name(logs[i].base_url);
    log.label = std::string(kind) + " " + name_or_index(log.name, i);
    if (!log.key) {
      throw Error(ErrorKind::kInvalidArgument,
                  std::string("trusted root ") + field + "[" + std::to_string(i) + "] (" +
                      log.label + "): public key (" + logs[i].public_key.key_details +
                      ") does not decode");
    }
    out.push_back(std::move(log));
  }
  return out;
}

std::vector<TrustedAuthority> decode_authorities(const std::vector<CertificateAuthority>& cas,
                                                 const char* field, const char* kind) {
  std::vector<TrustedAuthority> out;
  for (std::size_t i = 0; i < cas.size(); ++i) {
    TrustedAuthority ca;
    ca.info = cas[i];
    ca.label = std::string(kind) + " " + name_or_index(cas[i].uri, i);
    if (!cas[i].subject_common_name.empty()) ca.label += " (" + cas[i].subject_common_name + ")";
    for (std::size_t j = 0; j < cas[i].cert_chain.size(); ++j) {
      crypto::X509Ptr cert = crypto::parse_certificate_der(cas[i].cert_chain[j]);
      if (!cert) {
        throw Error(ErrorKind::kInvalidArgument,
                    std::string("trusted root ") + field + "[" + std::to_string(i) + "] (" +
                        ca.label + "): certificate " + std::to_string(j) + " is not valid DER");
      }
      ca.chain.push_back(std::move(cert));
    }
    out.push_back(std::move(ca));
  }
  return out;
}

const TrustedLog* find_log(const std::vector<TrustedLog>& logs, const Bytes& log_id) {
  for (const auto& log : logs) {
    if (log.info.log_id == log_id) return &log;
  }
  return nullptr;
}

}  // namespace

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

TrustMaterial::TrustMaterial(const TrustedRoot& root)
    : tlogs_(decode_logs(root.tlogs, "tlogs", "transparency log")),
      ctlogs_(decode_logs(root.ctlogs, "ctlogs", "CT log")),
      fulcio_cas_(decode_authorities(root.certificate_authorities, "certificateAuthorities",
                                     "certificate authority")),
      tsas_(decode_authorities(root.timestamp_authorities, "timestampAuthorities",
                               "timestamp authority")) {}

const TrustedLog* TrustMaterial::find_tlog(const Bytes& log_id) const {
  return find_log(tlogs_, log_id);
}

const TrustedLog* TrustMaterial::find_ctlog(const Bytes& log_id) const {
  return find_log(ctlogs_, log_id);
}

}  // namespace model_signing::sigstore
