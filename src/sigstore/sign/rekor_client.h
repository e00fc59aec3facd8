// Recording a signature in a Rekor log:
//  - Rekor v1 (POST /api/v1/log/entries): a `dsse` 0.0.1 entry carrying the
//    envelope and the signing certificate, or for a plain artifact a
//    `hashedrekord` 0.0.1 entry (its SHA-256, the signature, the certificate);
//  - Rekor v2 (POST /api/v2/log/entries): a `hashedrekord` 0.0.2 entry over
//    the artifact's SHA-256, or for a DSSE envelope over
//    SHA-256(PAE(payloadType, payload)) (client-spec §4.4).
// Each returns the log's answer as a bundle TransparencyLogEntry; whether it
// records what was submitted, and its proof, checkpoint and SET, are the
// verifier's to check (sign/evidence_checks.h).
#pragma once

#include <string>

#include "crypto/openssl.h"
#include "model_signing/bundle.h"
#include "net/http_client.h"

namespace model_signing::sigstore {

// What was signed: a DSSE envelope (with its one signature), or a signature
// over an artifact whose SHA-256 is `digest`.
struct SignedArtifact {
  const DsseEnvelope* envelope = nullptr;
  Bytes digest;
  Bytes signature;
};

// Throws Error(kNetwork) for service failures and malformed answers.
TransparencyLogEntry create_rekor_v1_entry(const net::HttpClient& rekor, const std::string& base_url,
                                           const SignedArtifact& signed_artifact, X509* leaf);
TransparencyLogEntry create_rekor_v2_entry(const net::HttpClient& rekor, const std::string& base_url,
                                           const SignedArtifact& signed_artifact, X509* leaf,
                                           const std::string& key_details);

}  // namespace model_signing::sigstore
