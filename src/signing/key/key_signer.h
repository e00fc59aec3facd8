// The key method's verification material: the public key, named by a hint.
#pragma once

#include <memory>
#include <string>

#include "crypto/openssl.h"
#include "model_signing/bundle.h"
#include "model_signing/verifying.h"

namespace model_signing::signing {

// The hex SHA-256 of the public key's SubjectPublicKeyInfo PEM (what the
// Python tool writes as publicKey.hint).
std::string public_key_hint(EVP_PKEY* public_key);

// {"publicKey": {"hint": ...}, "tlogEntries": []}
VerificationMaterial public_key_material(EVP_PKEY* public_key);

// The key method's verifier for a public key already loaded.
std::unique_ptr<Verifier> make_key_verifier(crypto::PkeyPtr public_key);

}  // namespace model_signing::signing
