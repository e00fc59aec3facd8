// Which hash a Sigstore key signs with, and signature checks that follow it:
// ECDSA by curve (P-256/SHA-256, P-384/SHA-384, P-521/SHA-512), RSA with
// SHA-256, Ed25519 over the message itself.
#pragma once

#include <string>
#include <string_view>

#include "crypto/openssl.h"
#include "model_signing/bundle.h"

namespace model_signing::crypto {

// nullptr for Ed25519 (no prehash). Throws Error(kUnsupported) for other
// key types, naming `what`.
const EVP_MD* signing_hash(EVP_PKEY* key, const std::string& what);

// Verifies a signature over `message` with the key's hash. Never throws for
// a bad signature; throws Error(kUnsupported) for unsupported key types.
bool verify_message_signature(EVP_PKEY* key, std::string_view message, const Bytes& signature,
                              const std::string& what);

// The digest of `data` with `md`.
Bytes digest_of(const EVP_MD* md, std::string_view data);

// "SHA2_256" / "sha256" style names to digests; nullptr if unknown.
const EVP_MD* hash_by_proto_name(std::string_view name);  // SHA2_256, SHA2_384, SHA2_512
const EVP_MD* hash_by_rekor_name(std::string_view name);  // sha256, sha384, sha512

}  // namespace model_signing::crypto
