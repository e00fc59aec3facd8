// X.509 certificate helpers shared by the certificate signer and verifiers.
#pragma once

#include <cstdint>
#include <filesystem>
#include <optional>
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
std::string issuer_name(X509* cert);
// Lower-case hex of the serial number.
std::string serial_hex(X509* cert);

// A certificate time in whole seconds since the epoch (certificate times
// may lie past 2262, beyond a nanosecond time point); nullopt if malformed.
std::optional<std::int64_t> asn1_time_seconds(const ASN1_TIME* time);

// True if the certificate's key usage allows digitalSignature or its
// extended key usage includes codeSigning.
bool allows_code_signing(X509* cert);

bool is_self_signed(X509* cert);

}  // namespace model_signing::crypto
