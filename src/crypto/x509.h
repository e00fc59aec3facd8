// X.509 certificate helpers shared by the certificate signer and verifiers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/openssl.h"

namespace model_signing::crypto {

// Every certificate in a PEM file (text around the blocks is ignored).
// Throws Error(kIo) if unreadable, Error(kKey) if it holds no certificate.
std::vector<X509Ptr> load_certificates_pem(const std::filesystem::path& path);
std::vector<X509Ptr> parse_certificates_pem(std::string_view pem, const std::string& source);

// nullptr if `der` is not exactly one DER certificate.
X509Ptr parse_certificate_der(const std::vector<std::uint8_t>& der);
std::vector<std::uint8_t> certificate_der(X509* cert);

// Lower-case hex SHA-256 of the DER encoding.
std::string sha256_fingerprint(X509* cert);
// One-line RFC 2253 subject, e.g. "CN=intermediate-ca".
std::string subject_name(X509* cert);

// True if the certificate's key usage allows digitalSignature or its
// extended key usage includes codeSigning.
bool allows_code_signing(X509* cert);

bool is_self_signed(X509* cert);

}  // namespace model_signing::crypto
