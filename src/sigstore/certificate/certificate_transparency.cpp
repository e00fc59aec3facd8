#include "sigstore/certificate/certificate_transparency.h"

#include <openssl/x509v3.h>

#include "crypto/digest.h"
#include "crypto/ec_key.h"
#include "crypto/signature.h"
#include "model_signing/error.h"
#include "util/encoding.h"

namespace model_signing::sigstore {

namespace {

[[noreturn]] void malformed(const std::string& why) {
  throw Error(ErrorKind::kUntrustedSigner,
              "signing certificate has a malformed SCT list extension: " + why);
}

// A cursor over TLS-encoded bytes.
class Reader {
 public:
  Reader(const std::uint8_t* data, std::size_t size) : p_(data), end_(data + size) {}
  bool done() const { return p_ == end_; }
  std::uint64_t number(int bytes) {
    need(bytes);
    std::uint64_t v = 0;
    for (int i = 0; i < bytes; ++i) v = (v << 8) | *p_++;
    return v;
  }
  Bytes take(std::size_t n) {
    need(n);
    Bytes out(p_, p_ + n);
    p_ += n;
    return out;
  }
  // A vector with a `len_bytes`-byte length prefix.
  Bytes vec(int len_bytes) { return take(static_cast<std::size_t>(number(len_bytes))); }

 private:
  void need(std::size_t n) const {
    if (static_cast<std::size_t>(end_ - p_) < n) malformed("truncated");
  }
  const std::uint8_t* p_;
  const std::uint8_t* end_;
};

void put(std::string& out, std::uint64_t value, int bytes) {
  for (int i = bytes - 1; i >= 0; --i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

void put(std::string& out, const Bytes& bytes) { out.append(bytes.begin(), bytes.end()); }

std::string spki_der(X509* cert) {
  unsigned char* der = nullptr;
  int len = i2d_X509_PUBKEY(X509_get_X509_PUBKEY(cert), &der);
  if (len <= 0) throw Error(ErrorKind::kUntrustedSigner, "cannot encode the issuer's public key");
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

}  // namespace

std::vector<SignedCertificateTimestamp> embedded_scts(X509* cert) {
  std::vector<SignedCertificateTimestamp> scts;
  int index = X509_get_ext_by_NID(cert, NID_ct_precert_scts, -1);
  if (index < 0) return scts;
  if (X509_get_ext_by_NID(cert, NID_ct_precert_scts, index) >= 0) malformed("it appears twice");
  ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(X509_get_ext(cert, index));
  // The extension value is an OCTET STRING holding the TLS-encoded list.
  const unsigned char* p = ASN1_STRING_get0_data(data);
  long length = ASN1_STRING_length(data);
  const unsigned char* start = p;
  ASN1_OCTET_STRING* inner = d2i_ASN1_OCTET_STRING(nullptr, &p, length);
  crypto::clear_openssl_errors();
  if (!inner) malformed("not an OCTET STRING");
  Bytes list(ASN1_STRING_get0_data(inner), ASN1_STRING_get0_data(inner) + ASN1_STRING_length(inner));
  ASN1_OCTET_STRING_free(inner);
  if (p != start + length) malformed("trailing bytes");

  Reader outer(list.data(), list.size());
  Bytes entries = outer.vec(2);
  if (!outer.done()) malformed("trailing bytes after the list");
  Reader reader(entries.data(), entries.size());
  while (!reader.done()) {
    Bytes raw = reader.vec(2);
    Reader r(raw.data(), raw.size());
    SignedCertificateTimestamp sct;
    sct.version = static_cast<std::uint8_t>(r.number(1));
    sct.log_id = r.take(32);
    sct.timestamp_ms = r.number(8);
    sct.extensions = r.vec(2);
    sct.hash_algorithm = static_cast<std::uint8_t>(r.number(1));
    sct.signature_algorithm = static_cast<std::uint8_t>(r.number(1));
    sct.signature = r.vec(2);
    if (!r.done()) malformed("trailing bytes in an SCT");
    scts.push_back(std::move(sct));
  }
  return scts;
}

std::string precertificate_signed_data(X509* leaf, X509* issuer,
                                       const SignedCertificateTimestamp& sct) {
  crypto::X509Ptr precert(X509_dup(leaf));
  if (!precert) throw Error(ErrorKind::kUntrustedSigner, "cannot copy the signing certificate");
  int index = X509_get_ext_by_NID(precert.get(), NID_ct_precert_scts, -1);
  if (index >= 0) X509_EXTENSION_free(X509_delete_ext(precert.get(), index));
  unsigned char* tbs = nullptr;
  int tbs_len = i2d_re_X509_tbs(precert.get(), &tbs);
  if (tbs_len <= 0) {
    throw Error(ErrorKind::kUntrustedSigner, "cannot re-encode the precertificate: " +
                                                 crypto::take_openssl_error());
  }
  std::string out;
  put(out, 0, 1);                 // sct_version v1
  put(out, 0, 1);                 // signature_type certificate_timestamp
  put(out, sct.timestamp_ms, 8);  // timestamp
  put(out, 1, 2);                 // entry_type precert_entry
  put(out, crypto::sha256(spki_der(issuer)));
  put(out, static_cast<std::uint64_t>(tbs_len), 3);
  out.append(reinterpret_cast<char*>(tbs), static_cast<std::size_t>(tbs_len));
  OPENSSL_free(tbs);
  put(out, sct.extensions.size(), 2);
  put(out, sct.extensions);
  return out;
}

void verify_embedded_scts(X509* leaf, X509* issuer, const TrustMaterial& trust) {
  std::vector<SignedCertificateTimestamp> scts = embedded_scts(leaf);
  if (scts.empty()) {
    throw Error(ErrorKind::kUntrustedSigner,
                "signing certificate has no embedded signed certificate timestamp (SCT)");
  }
  std::vector<std::string> unknown;
  int verified = 0;
  for (const SignedCertificateTimestamp& sct : scts) {
    const TrustedLog* log = trust.find_ctlog(sct.log_id);
    if (!log) {
      unknown.push_back(util::base64_encode(sct.log_id));
      continue;
    }
    if (sct.version != 0 || sct.hash_algorithm != 4 ||
        (sct.signature_algorithm != 1 && sct.signature_algorithm != 3)) {
      throw Error(ErrorKind::kUntrustedSigner,
                  "SCT from " + log->label + " has an unsupported version or algorithm");
    }
    // Milliseconds since 1970 as nanoseconds in 64 bits end in 2262.
    constexpr auto kMaxMs = static_cast<std::uint64_t>(
        std::chrono::duration_cast<std::chrono::milliseconds>(Time::max().time_since_epoch()).count());
    if (sct.timestamp_ms > kMaxMs) {
      throw Error(ErrorKind::kUntrustedSigner, "SCT from " + log->label + " has a timestamp out of range (" +
                                                   std::to_string(sct.timestamp_ms) + " ms)");
    }
    Time when{std::chrono::milliseconds(static_cast<std::int64_t>(sct.timestamp_ms))};
    const TimeRange& valid = log->info.public_key.valid_for;
    if (!valid.contains(when)) {
      throw Error(ErrorKind::kUntrustedSigner, "SCT from " + log->label + " is dated " +
                                                   format_time(when) +
                                                   ", outside the log key's validity " +
                                                   valid.describe());
    }
    if (!crypto::verify_signature(log->key(), EVP_sha256(),
                                  precertificate_signed_data(leaf, issuer, sct), sct.signature)) {
      throw Error(ErrorKind::kUntrustedSigner,
                  "SCT from " + log->label + " does not verify with the log's key");
    }
    ++verified;
  }
  if (verified > 0) return;
  std::string ids;
  for (const auto& id : unknown) ids += (ids.empty() ? "" : ", ") + id;
  throw Error(ErrorKind::kUntrustedSigner,
              "signing certificate has no SCT from a CT log of the trusted root (SCTs from unknown "
              "log IDs " + ids + ")");
}

}  // namespace model_signing::sigstore
