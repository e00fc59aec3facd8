// Creating and checking signatures with OpenSSL keys.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "crypto/openssl.h"

namespace model_signing::crypto {

// Verifies `signature` over `message`. `md` is the message digest (ignored for
// Ed25519/Ed448, which sign the message directly). ECDSA signatures are DER.
// Returns false on any mismatch or malformed signature; never throws.
bool verify_signature(EVP_PKEY* key, const EVP_MD* md, std::string_view message,
                      const std::vector<std::uint8_t>& signature);

// Verifies `signature` over an already computed digest made with `md`
// (ECDSA or RSA PKCS#1 v1.5). Returns false on any mismatch; never throws.
bool verify_prehashed_signature(EVP_PKEY* key, const EVP_MD* md,
                                const std::vector<std::uint8_t>& digest,
                                const std::vector<std::uint8_t>& signature);

// Signs `message` with a private key (DER ECDSA for EC keys).
// Throws Error(kKey) on failure.
std::vector<std::uint8_t> sign_message(EVP_PKEY* key, const EVP_MD* md, std::string_view message);

}  // namespace model_signing::crypto
