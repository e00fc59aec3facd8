// Checking the DSSE envelope's signature with a known public key, shared by
// every verifier that ends with "does this key sign this envelope".
#pragma once

#include <string>
#include <vector>

#include "crypto/openssl.h"
#include "model_signing/bundle.h"
#include "model_signing/verifying.h"

namespace model_signing::verifying {

// Returns the bundle's DSSE envelope, or throws Error(kMalformedBundle) if
// the bundle has none or it does not carry exactly one signature.
const DsseEnvelope& require_single_signature_envelope(const Bundle& bundle);

// Verifies the envelope signature over the DSSE PAE with an EC key (hash by
// curve), falling back to model_signing v0.2.0's buggy PAE (always
// hashed with SHA-256). Appends a
// warning when the fallback was needed. Throws Error(kInvalidSignature).
void verify_envelope_signature(const DsseEnvelope& envelope, EVP_PKEY* key,
                               std::vector<std::string>& warnings);

}  // namespace model_signing::verifying
