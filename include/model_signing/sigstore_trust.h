// Sigstore trust material as data: the trusted root (which logs, CAs and
// timestamp authorities to trust, and when), the signing config (which
// services a signer talks to) and the client trust config that holds both.
//
// Parsed from their protobuf-JSON forms (dev.sigstore.trustroot.v1). Parsing
// checks structure and encodings only; the verifier decides what to trust.
//
//   auto config = model_signing::sigstore::embedded_trust_config(Instance::kProduction);
//   auto custom = model_signing::sigstore::load_trust_config("trust_config.json");
//
// Kept current through the instance's TUF repository (see TrustUpdate):
//
//   sigstore::TrustOptions options;
//   options.tuf.update = sigstore::TrustUpdate::kTuf;
//   sigstore::SelectedTrust trust = sigstore::select_trust_config(options);
//   for (const auto& w : trust.warnings) log_warning(w);
#pragma once

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model_signing/bundle.h"
#include "model_signing/http.h"
#include "model_signing/tuf.h"

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
// Never touches the network (select_trust_config(TrustOptions) can).
ClientTrustConfig select_trust_config(bool use_staging, const std::filesystem::path& trust_config);

// Where the trust of an instance comes from when no trust config file is
// given. Sigstore publishes trusted_root.json and signing_config.v0.2.json as
// targets of a TUF repository; an update fetches them, verified by the TUF
// chain that starts at the embedded (or given) root.json, into a cache.
enum class TrustUpdate {
  // The trust compiled into the library: no network, no files. The
  // library's default.
  kEmbedded,
  // Refresh from the instance's TUF repository (what the CLI, the Python
  // tool, sigstore-go and cosign do by default). When the repository
  // cannot be reached, the cache is used, with a warning (the embedded
  // trust when nothing is cached), unless `require_fresh`. Anything the
  // repository answers that does not verify fails, whatever the cache holds.
  kTuf,
  // The cache only, verified offline (expired metadata is used, with a
  // warning); the embedded trust when nothing is cached. Never the network.
  kTufOffline,
};

inline constexpr std::string_view kProductionTufUrl = "https://tuf-repo-cdn.sigstore.dev";
inline constexpr std::string_view kStagingTufUrl = "https://tuf-repo-cdn.sigstage.dev";

struct TufTrustOptions {
  TrustUpdate update = TrustUpdate::kEmbedded;
  // A private instance's repository: metadata at URL/N.root.json,
  // URL/timestamp.json, ...; targets under URL/targets/. Empty: the public
  // production or staging repository. A private repository has no embedded
  // trust: `initial_root` (its root.json) bootstraps it when nothing is
  // cached, and without a cache it cannot be used offline.
  std::string repository_url;
  std::filesystem::path initial_root;
  // kTuf: fail if the repository cannot be reached, instead of using the cache.
  bool require_fresh = false;
  // Default: default_tuf_cache_dir(). Each repository gets its own
  // directory in it (tuf_cache_dir()).
  std::filesystem::path cache_dir;
  HttpOptions http;
  // How metadata and targets are fetched; default: the HTTP client.
  std::shared_ptr<tuf::Fetcher> fetcher;
};

struct TrustOptions {
  bool use_staging = false;
  // A client trust config or trusted root file: overrides everything else
  // and never touches the network.
  std::filesystem::path trust_config;
  TufTrustOptions tuf;
  // Signing needs the signing config (signing_config.v0.2.json) too.
  bool need_signing_config = false;
};

// The trust chosen, and what a user should be told about it.
struct SelectedTrust {
  enum class Origin {
    kTrustConfigFile,
    kEmbedded,
    kTufRepository,  // refreshed from the repository just now
    kTufCache,       // the cache, verified offline
  };
  ClientTrustConfig config;
  Origin origin = Origin::kEmbedded;
  std::string repository_url;           // TUF origins (and the embedded fallback)
  std::filesystem::path cache;          // the repository's cache directory
  std::optional<tuf::MetadataStatus> metadata;  // TUF origins
  // Fallbacks taken (the repository could not be reached, cached metadata
  // that has expired, ...): show them.
  std::vector<std::string> warnings;
  // Where the trust came from and how old the cache is: show at INFO level.
  std::vector<std::string> info;
};

// The rule above, with TUF: the trust config file if given; else, by
// `tuf.update`, the embedded trust, or the instance's (or the private)
// TUF repository through the cache. Throws Error: kInvalidArgument for
// unusable options or trust material, kNetwork when the repository cannot
// be reached and no fallback is allowed, and a tuf::TufError (kNetwork,
// kUntrustedSigner, kInvalidSignature, kIo) naming the role and the reason
// when the repository's answer or the cache does not verify.
SelectedTrust select_trust_config(const TrustOptions& options);

// $XDG_CACHE_HOME/model_signing/tuf, else ~/.cache/model_signing/tuf.
std::filesystem::path default_tuf_cache_dir();
// The cache of one repository: CACHE_DIR/<the URL percent-encoded>, holding
// metadata/ (root.json, timestamp.json, snapshot.json, targets.json) and
// targets/ (trusted_root.json, signing_config.v0.2.json).
std::filesystem::path tuf_cache_dir(const std::filesystem::path& cache_dir,
                                    const std::string& repository_url);

}  // namespace model_signing::sigstore
#pragma GCC visibility pop
