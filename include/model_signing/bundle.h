// The Sigstore bundle (model.sig) as data: parsed from and written to the
// protobuf-JSON form of dev.sigstore.bundle.v1.Bundle (lowerCamelCase names,
// bytes as base64, 64-bit integers as strings).
//
// Parsing checks structure only (types, encodings, required fields); whether
// anything in it is trustworthy is the verifiers' job.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing {

using Bytes = std::vector<std::uint8_t>;

inline constexpr std::string_view kBundleMediaTypeV03 =
    "application/vnd.dev.sigstore.bundle.v0.3+json";
inline constexpr std::string_view kInTotoPayloadType = "application/vnd.in-toto+json";

struct DsseSignature {
  Bytes sig;
  std::string keyid;  // absent, "" and null all read as ""
};

struct DsseEnvelope {
  std::string payload;  // decoded payload bytes
  std::string payload_type;
  std::vector<DsseSignature> signatures;
};

// dev.sigstore.common.v1.MessageSignature (Sigstore "hashedrekord" bundles).
struct MessageSignature {
  std::string digest_algorithm;  // HashAlgorithm enum name, e.g. "SHA2_256"; may be empty
  Bytes digest;                  // may be empty (the field is optional)
  Bytes signature;
};

struct InclusionProof {
  std::int64_t log_index = 0;
  Bytes root_hash;
  std::int64_t tree_size = 0;
  std::vector<Bytes> hashes;
  std::string checkpoint;  // signed-note text; empty if absent
};

struct TransparencyLogEntry {
  std::int64_t log_index = 0;
  Bytes log_id;  // logId.keyId
  std::string kind;
  std::string version;
  std::int64_t integrated_time = 0;
  std::optional<Bytes> signed_entry_timestamp;  // inclusionPromise
  std::optional<InclusionProof> inclusion_proof;
  Bytes canonicalized_body;
};

struct VerificationMaterial {
  enum class Kind { kPublicKey, kX509CertificateChain, kCertificate };
  Kind kind = Kind::kPublicKey;

  // kPublicKey: the hint (v1.1+) and/or the raw key bytes (pre-1.1 bundles).
  std::optional<std::string> public_key_hint;
  std::optional<Bytes> public_key_raw;
  std::string public_key_details;

  // kX509CertificateChain: leaf first. kCertificate: exactly the leaf.
  std::vector<Bytes> certificates;

  bool tlog_entries_present = false;  // distinguishes absent from []
  std::vector<TransparencyLogEntry> tlog_entries;
  std::vector<Bytes> rfc3161_timestamps;  // signedTimestamp DER blobs
};

struct Bundle {
  std::string media_type;
  VerificationMaterial verification_material;
  std::optional<DsseEnvelope> dsse_envelope;
  std::optional<MessageSignature> message_signature;
};

// Throws Error(kMalformedBundle) naming the offending field.
Bundle parse_bundle(std::string_view json);
// Reads a signature file of at most kMaxBundleFileSize bytes: room for the
// manifest of a model of more than a million files (about 210 bytes each).
inline constexpr std::size_t kMaxBundleFileSize = std::size_t{256} << 20;
Bundle read_bundle_file(const std::string& path);

// Writes the bundle in the same JSON shape as the Python model_signing tool.
std::string serialize_bundle(const Bundle& bundle);

}  // namespace model_signing
#pragma GCC visibility pop
