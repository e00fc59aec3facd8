// Sigstore trust material as data: the trusted root (which logs, CAs and
// timestamp authorities to trust, and when), the signing config (which
// services a signer talks to) and the client trust config that holds both.
//
// Parsed from their protobuf-JSON forms (dev.sigstore.trustroot.v1). Parsing
// checks structure and encodings only; the verifier decides what to trust.
//
//   auto config = model_signing::sigstore::embedded_trust_config(Instance::kProduction);
//   auto custom = model_signing::sigstore::load_trust_config("trust_config.json");
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model_signing/bundle.h"

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing::sigstore {

// A point in time, UTC, with the nanosecond precision protobuf timestamps have.
using Time = std::chrono::sys_time<std::chrono::nanoseconds>;

// dev.sigstore.common.v1.TimeRange: the closed interval [start, end]; no end
// means still valid. A range without a start contains no time at all: trust
// material must say when it became valid.
struct TimeRange {
  std::optional<Time> start;
  std::optional<Time> end;

  bool contains(Time t) const;
  // "[2021-01-12T11:53:27Z, 2022-12-31T23:59:59.999Z]", "[..., open]".
  std::string describe() const;
};

// RFC 3339 ("2022-12-31T23:59:59.999Z", offsets allowed). Throws
// Error(kInvalidArgument) naming `what`.
Time parse_rfc3339(std::string_view text, const std::string& what);
// RFC 3339 in UTC, fractional seconds only when non-zero.
std::string format_time(Time t);

// dev.sigstore.common.v1.PublicKey as found in a trusted root.
struct PublicKey {
  Bytes raw_bytes;          // DER; PKIX SubjectPublicKeyInfo unless key_details says PKCS1_*
  std::string key_details;  // PublicKeyDetails enum name, e.g. "PKIX_ECDSA_P256_SHA_256"
  TimeRange valid_for;
};

// A Rekor log (tlogs) or a certificate transparency log (ctlogs).
struct TransparencyLogInstance {
  std::string base_url;
  std::string hash_algorithm;  // HashAlgorithm enum name, e.g. "SHA2_256"
  PublicKey public_key;
  Bytes log_id;                // logId.keyId: SHA-256 of the key's DER SPKI (v1)
  Bytes checkpoint_key_id;     // checkpointKeyId.keyId; empty when absent
  std::string operator_name;   // "operator"; may be empty
};

// A Fulcio CA (certificateAuthorities) or a timestamp authority
// (timestampAuthorities). The chain is leaf-most first; its last certificate
// is the trust anchor.
struct CertificateAuthority {
  std::string subject_organization;
  std::string subject_common_name;
  std::string uri;
  std::vector<Bytes> cert_chain;  // DER
  TimeRange valid_for;
  std::string operator_name;
};

struct TrustedRoot {
  std::string media_type;
  std::vector<TransparencyLogInstance> tlogs;
  std::vector<CertificateAuthority> certificate_authorities;
  std::vector<TransparencyLogInstance> ctlogs;
  std::vector<CertificateAuthority> timestamp_authorities;
};

// dev.sigstore.trustroot.v1.Service.
struct Service {
  std::string url;
  std::uint32_t major_api_version = 0;
  TimeRange valid_for;
  std::string operator_name;
};

enum class ServiceSelector { kUndefined, kAll, kAny, kExact };

struct ServiceConfiguration {
  ServiceSelector selector = ServiceSelector::kUndefined;
  std::uint32_t count = 0;  // only for kExact
};

// dev.sigstore.trustroot.v1.SigningConfig (media type v0.2): which services
// a Sigstore signer talks to. Structure only: choosing services from it is
// the signer's job. (Not model_signing::SigningConfig, which is how a model
// is signed.)
struct SigstoreSigningConfig {
  std::string media_type;
  std::vector<Service> ca_urls;
  std::vector<Service> oidc_urls;
  std::vector<Service> rekor_tlog_urls;
  ServiceConfiguration rekor_tlog_config;
  std::vector<Service> tsa_urls;
  ServiceConfiguration tsa_config;
};

// dev.sigstore.trustroot.v1.ClientTrustConfig. A bare trusted root read with
// load_trust_config() has no signing config.
struct ClientTrustConfig {
  std::string media_type;
  TrustedRoot trusted_root;
  std::optional<SigstoreSigningConfig> signing_config;
};

// Each throws Error(kInvalidArgument) naming the offending field.
TrustedRoot parse_trusted_root(std::string_view json);
SigstoreSigningConfig parse_signing_config(std::string_view json);
ClientTrustConfig parse_client_trust_config(std::string_view json);

// Reads a client trust config or a bare trusted root (told apart by media
// type). Throws Error(kIo) if unreadable, Error(kInvalidArgument) otherwise.
ClientTrustConfig load_trust_config(const std::filesystem::path& path);

// Sigstore's public-good instances, compiled into the library.
enum class Instance { kProduction, kStaging };
ClientTrustConfig embedded_trust_config(Instance instance);

// Whom to trust, by the one rule Sigstore signing and verifying share (the
// Python tool's): the trust config file when one is given (a client trust
// config or a bare trusted root; it overrides `use_staging`), else the
// embedded staging or production instance. Throws as load_trust_config().
ClientTrustConfig select_trust_config(bool use_staging, const std::filesystem::path& trust_config);

}  // namespace model_signing::sigstore
#pragma GCC visibility pop
