#include "support/test_pki.h"

#include <openssl/pem.h>
#include <openssl/rsa.h>
#include <openssl/x509v3.h>

#include <stdexcept>

#include "support/test_support.h"

namespace model_signing::testing {

namespace {

void check(bool ok, const char* what) {
  if (!ok) throw std::runtime_error(std::string("test PKI: ") + what + " failed");
}

void add_ext(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value);
  check(ext != nullptr, "extension");
  X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
}

X509* make_cert(const CertSpec& spec, EVP_PKEY* subject_key, X509* issuer_cert, EVP_PKEY* issuer_key) {
  static long serial = 1000;
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), ++serial);
  ASN1_TIME_set(X509_getm_notBefore(cert), spec.not_before);
  ASN1_TIME_set(X509_getm_notAfter(cert), spec.not_after);
  X509_set_pubkey(cert, subject_key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC,
                             reinterpret_cast<const unsigned char*>(spec.common_name.c_str()), -1, -1, 0);
  X509* issuer = issuer_cert ? issuer_cert : cert;
  X509_set_issuer_name(cert, X509_get_subject_name(issuer));
  add_ext(cert, issuer, NID_basic_constraints, spec.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE");
  if (spec.key_usage_extension) {
    std::string ku = spec.is_ca ? "critical,keyCertSign,cRLSign" : "critical";
    if (!spec.is_ca) {
      ku += spec.digital_signature ? ",digitalSignature" : ",keyEncipherment";
    } else if (spec.digital_signature) {
      ku += ",digitalSignature";
    }
    add_ext(cert, issuer, NID_key_usage, ku.c_str());
  }
  if (spec.time_stamping) {
    add_ext(cert, issuer, NID_ext_key_usage, "critical,timeStamping");
  } else if (spec.code_signing) {
    add_ext(cert, issuer, NID_ext_key_usage, "codeSigning");
  }
  add_ext(cert, issuer, NID_subject_key_identifier, "hash");
  if (issuer_cert) add_ext(cert, issuer, NID_authority_key_identifier, "keyid:always");
  int id = EVP_PKEY_get_base_id(issuer_key);
  const EVP_MD* md = (id == EVP_PKEY_ED25519) ? nullptr : EVP_sha256();
  check(X509_sign(cert, issuer_key, md) > 0, "X509_sign");
  return cert;
}

std::string bio_string(BIO* bio) {
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  return out;
}

}  // namespace

EVP_PKEY* generate_key(const std::string& curve) {
  EVP_PKEY* key = nullptr;
  if (curve == "RSA") {
    key = EVP_RSA_gen(2048);
  } else if (curve == "ED25519") {
    key = EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  } else if (curve == "P-192") {
    key = EVP_EC_gen("prime192v1");
  } else {
    key = EVP_EC_gen(curve.c_str());
  }
  check(key != nullptr, "key generation");
  return key;
}

TestIdentity::~TestIdentity() {
  EVP_PKEY_free(key_);
  X509_free(cert_);
}

TestIdentity::TestIdentity(TestIdentity&& other) noexcept : key_(other.key_), cert_(other.cert_) {
  other.key_ = nullptr;
  other.cert_ = nullptr;
}

TestIdentity TestIdentity::make_root(const std::string& curve, const std::string& name,
                                     std::time_t not_before) {
  EVP_PKEY* key = generate_key(curve);
  CertSpec spec;
  spec.common_name = name;
  spec.is_ca = true;
  spec.digital_signature = false;
  spec.code_signing = false;
  spec.not_before = not_before ? not_before : std::time(nullptr) - 24 * 3600;
  spec.not_after = spec.not_before + 10 * 365 * 24 * 3600L;
  X509* cert = make_cert(spec, key, nullptr, key);
  return TestIdentity(key, cert);
}

TestIdentity TestIdentity::issue(const CertSpec& spec, const std::string& curve) const {
  EVP_PKEY* key = generate_key(curve);
  X509* cert = make_cert(spec, key, cert_, key_);
  return TestIdentity(key, cert);
}

TestIdentity TestIdentity::issue_for_key(const CertSpec& spec, EVP_PKEY* public_key) const {
  X509* cert = make_cert(spec, public_key, cert_, key_);
  EVP_PKEY_up_ref(public_key);
  return TestIdentity(public_key, cert);
}

void TestIdentity::write_key_pem(const std::filesystem::path& path) const {
  BIO* bio = BIO_new(BIO_s_mem());
  check(PEM_write_bio_PrivateKey(bio, key_, nullptr, nullptr, 0, nullptr, nullptr) == 1, "write key");
  write_file(path, bio_string(bio));
}

void TestIdentity::write_public_pem(const std::filesystem::path& path) const {
  BIO* bio = BIO_new(BIO_s_mem());
  check(PEM_write_bio_PUBKEY(bio, key_) == 1, "write public key");
  write_file(path, bio_string(bio));
}

std::string TestIdentity::cert_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  check(PEM_write_bio_X509(bio, cert_) == 1, "write cert");
  return bio_string(bio);
}

void TestIdentity::write_cert_pem(const std::filesystem::path& path) const {
  write_file(path, cert_pem());
}

}  // namespace model_signing::testing
