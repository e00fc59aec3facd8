// Signed certificate timestamps (RFC 6962) embedded in a Fulcio
// certificate, verified offline against the CT logs of the trusted root.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "crypto/openssl.h"
#include "model_signing/bundle.h"
#include "sigstore/trust/trust_material.h"

namespace model_signing::sigstore {

struct SignedCertificateTimestamp {
  std::uint8_t version = 0;
  Bytes log_id;  // 32 bytes: SHA-256 of the log's DER SPKI
  std::uint64_t timestamp_ms = 0;
  Bytes extensions;
  std::uint8_t hash_algorithm = 0;       // TLS HashAlgorithm: 4 = SHA-256
  std::uint8_t signature_algorithm = 0;  // TLS SignatureAlgorithm: 1 = RSA, 3 = ECDSA
  Bytes signature;
};

// The SCT list extension (1.3.6.1.4.1.11129.2.4.2) of `cert`; empty if it
// has none. Throws Error(kUntrustedSigner) if the extension is malformed.
std::vector<SignedCertificateTimestamp> embedded_scts(X509* cert);

// What the log signed for a precertificate entry: the leaf's TBSCertificate
// without the SCT list extension, bound to the issuer's key hash.
std::string precertificate_signed_data(X509* leaf, X509* issuer,
                                       const SignedCertificateTimestamp& sct);

// Requires at least one embedded SCT from a CT log of the trusted root that
// verifies and lies within the log key's validity. SCTs from unknown logs are
// skipped; one from a trusted log that does not verify is an error.
// Throws Error(kUntrustedSigner).
void verify_embedded_scts(X509* leaf, X509* issuer, const TrustMaterial& trust);

}  // namespace model_signing::sigstore
