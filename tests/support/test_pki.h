// A tiny PKI for tests: CAs and leaf certificates made with OpenSSL, with
// the knobs tests need (key usage, validity, issuer), written as PEM.
#pragma once

#include <ctime>
#include <filesystem>
#include <memory>
#include <string>

#include <openssl/evp.h>
#include <openssl/x509.h>

namespace model_signing::testing {

struct CertSpec {
  std::string common_name = "test";
  bool is_ca = false;
  bool digital_signature = true;  // KeyUsage digitalSignature
  bool code_signing = true;       // ExtendedKeyUsage codeSigning
  bool time_stamping = false;     // critical ExtendedKeyUsage timeStamping (instead of codeSigning)
  bool key_usage_extension = true;
  std::time_t not_before = std::time(nullptr) - 3600;
  std::time_t not_after = std::time(nullptr) + 365 * 24 * 3600;
};

// A key pair plus its certificate.
class TestIdentity {
 public:
  ~TestIdentity();
  TestIdentity(const TestIdentity&) = delete;
  TestIdentity& operator=(const TestIdentity&) = delete;
  TestIdentity(TestIdentity&&) noexcept;

  // Self-signed CA on `curve` ("P-256", ...) or "RSA" (2048 bits).
  // Valid from `not_before` (default: a day ago) for ten years.
  static TestIdentity make_root(const std::string& curve = "P-256", const std::string& name = "Test Root CA",
                                std::time_t not_before = 0);
  // Certificate for a new key on `curve`, issued by `issuer`.
  TestIdentity issue(const CertSpec& spec, const std::string& curve = "P-256") const;
  // Certificate for an existing public key, issued by `issuer`.
  TestIdentity issue_for_key(const CertSpec& spec, EVP_PKEY* public_key) const;

  EVP_PKEY* key() const { return key_; }
  X509* cert() const { return cert_; }

  void write_key_pem(const std::filesystem::path& path) const;     // private key (PKCS#8)
  void write_public_pem(const std::filesystem::path& path) const;  // SubjectPublicKeyInfo
  void write_cert_pem(const std::filesystem::path& path) const;
  std::string cert_pem() const;

 private:
  TestIdentity(EVP_PKEY* key, X509* cert) : key_(key), cert_(cert) {}
  EVP_PKEY* key_ = nullptr;  // may be public-only (issue_for_key)
  X509* cert_ = nullptr;
};

EVP_PKEY* generate_key(const std::string& curve);  // "P-256", "P-384", "P-521", "RSA", "ED25519", "P-192"

}  // namespace model_signing::testing
