// What a signature file claims, read without verifying any of it: who
// signed (key hint, certificates, Sigstore identity), the transparency log
// entries and timestamps it carries, and the manifest it signs.
//
//   auto info = model_signing::describe_signature(model_signing::read_bundle_file("model.sig"));
//   std::cout << to_string(info.method) << " " << digest_hex(info.manifest.root_digest());
//
// Nothing here is checked cryptographically. The bundle and the statement
// are parsed with the checks verification applies to them, so a malformed
// or hostile signature fails here with the same Error verification gives.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model_signing/bundle.h"
#include "model_signing/manifest.h"
#include "model_signing/sigstore_trust.h"

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing {

struct CertificateInfo {
  std::string subject;             // RFC 2253, e.g. "CN=signer,O=Example"
  std::string issuer;              // RFC 2253
  std::string serial;              // lower-case hex
  std::string sha256_fingerprint;  // lower-case hex SHA-256 of the DER
  // Validity window, seconds since the epoch (UTC).
  std::int64_t not_before = 0;
  std::int64_t not_after = 0;
  // Subject alternative names: email, URI and Fulcio username entries.
  std::vector<std::string> identities;
  // The OIDC issuer extension Fulcio writes (1.3.6.1.4.1.57264.1.8 or .1.1).
  std::optional<std::string> oidc_issuer;
};

// Throws Error(kMalformedBundle) if `der` is not exactly one DER certificate.
CertificateInfo describe_certificate(const Bytes& der);

struct LogEntryInfo {
  std::int64_t log_index = 0;
  std::string log_id;   // hex of logId.keyId
  std::string kind;     // "dsse", "hashedrekord", ...
  std::string version;  // "0.0.1", "0.0.2"
  // Rekor v1 entries; a Rekor v2 entry has none (its time is a timestamp's).
  std::optional<sigstore::Time> integrated_time;
  bool has_inclusion_proof = false;
  bool has_inclusion_promise = false;  // a signed entry timestamp
};

enum class SignatureMethod { kKey, kCertificate, kSigstore };
// "key", "certificate", "sigstore": the `verify` method that checks it.
std::string_view to_string(SignatureMethod method);

struct SignatureInfo {
  SignatureMethod method = SignatureMethod::kKey;
  std::string media_type;
  // kKey: the public key hint (absent before model_signing v1.1) and details.
  std::optional<std::string> public_key_hint;
  std::string key_details;
  // kCertificate and kSigstore: the bundle's certificates, leaf first.
  std::vector<CertificateInfo> certificates;
  std::vector<LogEntryInfo> log_entries;
  // genTime of each RFC 3161 timestamp, in the bundle's order.
  std::vector<sigstore::Time> timestamps;
  // The signed statement as a manifest: model name, serialization,
  // resources and root digest.
  Manifest manifest;
};

// Method: key material -> kKey; a certificate with Fulcio's OIDC issuer
// extension, or a bundle with transparency log entries -> kSigstore; other
// certificates -> kCertificate. Throws Error(kMalformedBundle) for a bundle
// that is not a model signature (no DSSE envelope, not exactly one
// signature, a statement verification would reject, undecodable
// certificates or timestamps).
SignatureInfo describe_signature(const Bundle& bundle);

}  // namespace model_signing
#pragma GCC visibility pop
