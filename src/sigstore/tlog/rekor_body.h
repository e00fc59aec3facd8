// The body of a transparency log entry (canonicalizedBody) checked against
// the bundle it claims to log. Supported types: Rekor v1 hashedrekord 0.0.1,
// dsse 0.0.1 and intoto 0.0.2; Rekor v2 hashedrekord 0.0.2 and dsse 0.0.2.
#pragma once

#include <functional>
#include <optional>

#include "crypto/openssl.h"
#include "model_signing/bundle.h"

namespace model_signing::sigstore {

// What the bundle says was signed, and by whom.
struct SignedContent {
  Bytes signature;                        // the one signature the log must record
  const DsseEnvelope* envelope = nullptr;  // DSSE bundles
  // Message-signature bundles: the artifact's digest with `md`, or nullopt
  // when it cannot be computed (e.g. only a SHA-256 digest was given).
  std::function<std::optional<Bytes>(const EVP_MD* md)> artifact_digest;
  X509* certificate = nullptr;   // certificate bundles: the leaf
  EVP_PKEY* public_key = nullptr;  // key bundles
};

// True for the kinds and versions above.
bool is_supported_entry_type(const std::string& kind, const std::string& version);
// True for Rekor v2 entry types (no integrated time, no SET).
bool is_rekor_v2_entry(const std::string& kind, const std::string& version);

// Parses the body and checks that its kind and version are the entry's, and
// that the signature, verification material and signed digest it records are
// the bundle's. Throws Error(kInvalidSignature) "... body ..." naming the
// first difference.
void check_entry_body(const TransparencyLogEntry& entry, const SignedContent& content);

}  // namespace model_signing::sigstore
