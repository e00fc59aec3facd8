// Loading keys and the EC-only policy of model signing: P-256, P-384 and
// P-521, each paired with its hash (SHA-256, SHA-384, SHA-512).
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "crypto/openssl.h"

namespace model_signing::crypto {

enum class EcCurve { kP256, kP384, kP521 };

// "RSA (2048 bits)", "ED25519", "EC P-192 (prime192v1)", ...
std::string describe_key(EVP_PKEY* key);

// Returns the curve or throws Error(kUnsupported) naming the key type.
EcCurve require_supported_ec_key(EVP_PKEY* key, std::string_view what);

const EVP_MD* hash_for_curve(EcCurve curve);
// Sigstore PublicKeyDetails name, e.g. "PKIX_ECDSA_P256_SHA_256".
std::string_view key_details_name(EcCurve curve);

// PEM private key (PKCS#8, traditional EC, encrypted or not).
// Throws Error(kKey) with the reason (wrong password, not a key, ...).
PkeyPtr load_private_key_pem(const std::filesystem::path& path,
                             const std::optional<std::string>& password);
PkeyPtr parse_private_key_pem(std::string_view pem, const std::optional<std::string>& password,
                              const std::string& source);

// PEM SubjectPublicKeyInfo ("PUBLIC KEY") file. Throws Error(kKey).
PkeyPtr load_public_key_pem(const std::filesystem::path& path);
// PEM or DER SubjectPublicKeyInfo bytes; nullptr if they do not parse.
PkeyPtr parse_public_key(std::string_view pem_or_der);

// The key as SubjectPublicKeyInfo PEM: 64-column base64, '\n' line ends,
// trailing newline (what Python's cryptography writes).
std::string public_key_spki_pem(EVP_PKEY* key);
// DER SubjectPublicKeyInfo.
std::string public_key_spki_der(EVP_PKEY* key);

bool same_public_key(EVP_PKEY* a, EVP_PKEY* b);

}  // namespace model_signing::crypto
