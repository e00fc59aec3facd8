#include "crypto/x509.h"

#include <cctype>
#include <ctime>

#include <openssl/bn.h>
#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include "crypto/digest.h"
#include "model_signing/error.h"
#include "util/encoding.h"
#include "util/file_io.h"

namespace model_signing::crypto {

std::vector<X509Ptr> parse_certificates_pem(std::string_view pem, const std::string& source) {
  clear_openssl_errors();
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  std::vector<X509Ptr> certs;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    certs.emplace_back(cert);
  }
  clear_openssl_errors();  // the loop always ends with a "no start line" error
  if (certs.empty()) {
    throw Error(ErrorKind::kKey, "no PEM certificate found in " + source);
  }
  return certs;
}

std::vector<X509Ptr> load_certificates_pem(const std::filesystem::path& path) {
  return parse_certificates_pem(util::read_file(path), path.string());
}

X509Ptr parse_certificate_der(const std::vector<std::uint8_t>& der) {
  const unsigned char* p = der.data();
  X509Ptr cert(d2i_X509(nullptr, &p, static_cast<long>(der.size())));
  clear_openssl_errors();
  if (!cert || p != der.data() + der.size()) return nullptr;
  return cert;
}

std::vector<std::uint8_t> certificate_der(X509* cert) {
  unsigned char* der = nullptr;
  int len = i2d_X509(cert, &der);
  if (len <= 0) throw Error(ErrorKind::kKey, "cannot encode certificate: " + take_openssl_error());
  std::vector<std::uint8_t> out(der, der + len);
  OPENSSL_free(der);
  return out;
}

std::string sha256_fingerprint(X509* cert) { return util::to_hex(sha256(certificate_der(cert))); }

namespace {

std::string rfc2253(const X509_NAME* name) {
  BioPtr bio(BIO_new(BIO_s_mem()));
  X509_NAME_print_ex(bio.get(), name, 0, XN_FLAG_RFC2253);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

}  // namespace

std::string subject_name(X509* cert) { return rfc2253(X509_get_subject_name(cert)); }
std::string issuer_name(X509* cert) { return rfc2253(X509_get_issuer_name(cert)); }

std::string serial_hex(X509* cert) {
  BIGNUM* bn = ASN1_INTEGER_to_BN(X509_get0_serialNumber(cert), nullptr);
  if (!bn) return "";
  char* hex = BN_bn2hex(bn);
  BN_free(bn);
  if (!hex) return "";
  std::string out(hex);
  OPENSSL_free(hex);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::optional<std::int64_t> asn1_time_seconds(const ASN1_TIME* time) {
  struct tm tm {};
  if (!time || ASN1_TIME_to_tm(time, &tm) != 1) return std::nullopt;
  return static_cast<std::int64_t>(timegm(&tm));
}

bool allows_code_signing(X509* cert) {
  // X509_get_key_usage / X509_get_extended_key_usage return UINT32_MAX when
  // the extension is absent, which must not count as permission here.
  bool has_ku = X509_get_ext_by_NID(cert, NID_key_usage, -1) >= 0;
  bool has_eku = X509_get_ext_by_NID(cert, NID_ext_key_usage, -1) >= 0;
  if (has_ku && (X509_get_key_usage(cert) & KU_DIGITAL_SIGNATURE)) return true;
  if (has_eku && (X509_get_extended_key_usage(cert) & XKU_CODE_SIGN)) return true;
  return false;
}

bool is_self_signed(X509* cert) { return X509_self_signed(cert, 0) == 1; }

}  // namespace model_signing::crypto
