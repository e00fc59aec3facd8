// The DSSE envelope as every local signing method signs and checks it: the
// signature over the pre-authentication encoding of the statement, and the
// guard every method's verifier starts with (the bundle's verification
// material is the method's, and the envelope carries one signature).
#pragma once

#include <initializer_list>
#include <string>
#include <string_view>
#include <vector>

#include "crypto/openssl.h"
#include "model_signing/bundle.h"
#include "signing/checked_key.h"

namespace model_signing::signing {

// Signs PAE(statement) with `key` into an in-toto DSSE envelope.
DsseEnvelope sign_envelope(CheckedKey& key, const std::string& statement_json);

// The bundle's DSSE envelope, for the verifier of a method whose bundles
// carry verification material of one of the `accepted` kinds. Throws
// Error(kMalformedBundle) "bundle was not signed with <signed_with>: its
// verification material is ... (use verify <method>)" for another kind,
// and when there is no envelope or it does not carry exactly one signature.
const DsseEnvelope& method_envelope(const Bundle& bundle,
                                    std::initializer_list<VerificationMaterial::Kind> accepted,
                                    std::string_view signed_with);

// Returns the bundle's DSSE envelope, or throws Error(kMalformedBundle) if
// the bundle has none or it does not carry exactly one signature.
const DsseEnvelope& require_single_signature_envelope(const Bundle& bundle);

// Verifies the envelope signature over the DSSE PAE with an EC key (hash by
// curve), falling back to model_signing v0.2.0's buggy PAE (always hashed
// with SHA-256). Appends a warning when the fallback was needed. Throws
// Error(kInvalidSignature).
void verify_envelope_signature(const DsseEnvelope& envelope, EVP_PKEY* key,
                               std::vector<std::string>& warnings);

}  // namespace model_signing::signing
