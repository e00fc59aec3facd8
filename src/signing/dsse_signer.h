// Signers that sign the DSSE envelope locally with a SigningKey and attach
// fixed verification material: the key and certificate methods (and their
// PKCS#11 variants).
#pragma once

#include <memory>
#include <vector>

#include "crypto/openssl.h"
#include "model_signing/signing.h"
#include "signing/signing_key.h"

namespace model_signing::signing {

// Signs PAE(statement) and wraps it in a DSSE envelope.
DsseEnvelope sign_envelope(SigningKey& key, const std::string& statement_json);

// Verification material of the key method: the hint is the hex SHA-256 of
// the public key's SubjectPublicKeyInfo PEM.
VerificationMaterial public_key_material(EVP_PKEY* public_key);
std::string public_key_hint(EVP_PKEY* public_key);

// Verification material of the certificate method. Throws Error(kKey) if the
// key does not match the leaf certificate.
VerificationMaterial certificate_material(EVP_PKEY* public_key, X509* leaf,
                                          const std::vector<crypto::X509Ptr>& chain);

std::unique_ptr<Signer> make_key_signer(std::unique_ptr<SigningKey> key);
std::unique_ptr<Signer> make_certificate_signer(std::unique_ptr<SigningKey> key,
                                                const std::filesystem::path& signing_certificate,
                                                const std::vector<std::filesystem::path>& chain);
// The same with the signing certificate already in hand.
std::unique_ptr<Signer> make_certificate_signer(std::unique_ptr<SigningKey> key,
                                                crypto::X509Ptr signing_certificate,
                                                const std::vector<std::filesystem::path>& chain_files);

}  // namespace model_signing::signing
