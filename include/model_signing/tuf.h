// A TUF client (The Update Framework, specification 1.0.x, client workflow of
// section 5): keeps a directory of trusted metadata current from a TUF
// repository and downloads target files that the metadata vouches for.
// Sigstore distributes its trusted_root.json and signing config this way.
//
//   model_signing::tuf::UpdaterOptions options;
//   options.metadata_dir = cache / "metadata";   // holds a trusted root.json
//   options.metadata_url = "https://tuf-repo-cdn.sigstore.dev";
//   options.target_base_url = "https://tuf-repo-cdn.sigstore.dev/targets";
//   model_signing::tuf::Updater updater(options);
//   updater.refresh();
//   auto info = updater.get_target_info("trusted_root.json");
//   if (info && !updater.is_cached(*info, cache / "trusted_root.json"))
//     updater.download_target(*info, cache / "trusted_root.json");
//
// Every failure is a TufError (a model_signing::Error) with a one-line
// message naming the role or target and the reason, e.g.
// "TUF snapshot.json: version 3 is older than the trusted version 5 (rollback)".
// Its kind() is kNetwork when the repository could not be reached (a caller
// may then fall back to the cached metadata with offline = true), and a
// verification kind (kInvalidSignature, kUntrustedSigner) when what came back
// cannot be trusted. The trusted metadata on disk is only ever replaced by
// metadata that passed every check, one file at a time, atomically.
//
// An Updater is not thread-safe; use one per thread or lock around it.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "model_signing/error.h"
#include "model_signing/http.h"

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing::tuf {

using Clock = std::chrono::system_clock;

// Why an update failed, for programs that react to it.
enum class FailureReason {
  kNetwork,    // the repository could not be reached or answered an HTTP error
  kNotFound,   // the target is not described by the trusted metadata
  kTooLarge,   // a response exceeded the maximum length for it
  kMalformed,  // metadata that does not parse or has wrong types/values
  kSignature,  // metadata not signed by a threshold of the role's keys
  kRollback,   // a version older than the trusted one
  kExpired,    // metadata past its expiry (a freeze attack, or a stale mirror)
  kMismatch,   // bytes or versions that differ from what the referrer lists
  kIo,         // the local metadata or target directory could not be used
};

class TufError : public Error {
 public:
  TufError(FailureReason reason, std::string subject, const std::string& message);
  FailureReason reason() const { return reason_; }
  // What failed: "root.json", "timestamp.json", a delegated role's file
  // name, or "target NAME".
  const std::string& subject() const { return subject_; }

 private:
  FailureReason reason_;
  std::string subject_;
};

// Download limits. The defaults are python-tuf's.
struct Limits {
  std::size_t root_max_bytes = 512000;
  std::size_t timestamp_max_bytes = 16384;
  std::size_t snapshot_max_bytes = 2000000;  // when timestamp.json gives no length
  std::size_t targets_max_bytes = 5000000;   // when snapshot.json gives no length
  int max_root_rotations = 256;              // new root versions per refresh
  int max_delegations = 32;                  // targets roles visited per lookup
};

// How bytes are fetched. The default uses the project's HTTP client
// (timeouts, retries, proxies); tests and embedders may supply their own.
class Fetcher {
 public:
  struct Result {
    enum class Status { kOk, kNotFound, kTooLarge } status = Status::kOk;
    std::string body;
  };
  virtual ~Fetcher() = default;
  // The body of `url`, at most `max_bytes` long. kNotFound for HTTP 403/404,
  // kTooLarge once the answer would exceed max_bytes. Throws Error(kNetwork)
  // when no answer came or for any other HTTP status.
  virtual Result fetch(const std::string& url, std::size_t max_bytes) = 0;
};

std::shared_ptr<Fetcher> make_http_fetcher(const HttpOptions& options = {});

struct UpdaterOptions {
  // The trusted local metadata: root.json must be there (see
  // initialize_metadata_dir); the updater keeps timestamp.json,
  // snapshot.json, targets.json and delegated roles' files beside it.
  std::filesystem::path metadata_dir;
  // Base URL of the repository's metadata ("https://host/metadata"), and of
  // its target files (needed only to download targets).
  std::string metadata_url;
  std::string target_base_url;

  HttpOptions http;
  std::shared_ptr<Fetcher> fetcher;  // default: make_http_fetcher(http)
  Limits limits;

  // Never touch the network: refresh() loads and verifies the local metadata
  // only (signatures, versions and hashes as in an online update), and
  // delegated roles not in the cache cannot be resolved.
  bool offline = false;
  // In offline mode, accept local metadata that has expired (status() says
  // so). Never applies to an online refresh.
  bool offline_allow_expired = false;

  // The time expiry is checked against; default: the clock at refresh().
  std::optional<Clock::time_point> reference_time;
};

struct TargetInfo {
  std::string path;  // the target path as the metadata names it
  std::uint64_t length = 0;
  std::map<std::string, std::string> hashes;  // algorithm -> lower-case hex
  std::string custom_json;                    // the "custom" object, or empty
  std::string role;                           // the targets role that listed it
};

// What the trusted metadata says after refresh().
struct MetadataStatus {
  std::uint64_t root_version = 0;
  std::uint64_t timestamp_version = 0;
  std::uint64_t snapshot_version = 0;
  std::uint64_t targets_version = 0;
  Clock::time_point root_expires;
  Clock::time_point timestamp_expires;
  // Earliest expiry of root, timestamp, snapshot and targets.
  Clock::time_point expires;
  // Whether any of them has expired at the reference time (only possible
  // with offline_allow_expired).
  bool expired = false;
  // When the repository last confirmed this metadata as current (the last
  // successful online refresh in this directory); nullopt if never.
  std::optional<Clock::time_point> last_refreshed;
  bool offline = false;
};

class Updater {
 public:
  explicit Updater(UpdaterOptions options);
  ~Updater();
  Updater(const Updater&) = delete;
  Updater& operator=(const Updater&) = delete;

  // Runs the client workflow: root rotation through every new version,
  // then timestamp, snapshot and top-level targets, persisting each
  // verified file. Offline: verifies the local files instead. Throws
  // TufError; the trusted metadata stays as it was for a failed step.
  void refresh();

  // The target's description, searching delegations in pre-order; nullopt
  // if no trusted role lists it. Refreshes first if refresh() has not run.
  // Results are cached for the life of the Updater.
  std::optional<TargetInfo> get_target_info(const std::string& target_path);

  // True if `file` is a regular file with the target's length and hashes.
  bool is_cached(const TargetInfo& info, const std::filesystem::path& file) const;

  // Downloads the target (as HASH.NAME under consistent snapshots), checks
  // its length and every listed hash, and returns its bytes.
  std::string fetch_target(const TargetInfo& info);
  // fetch_target(), then writes the bytes to `destination` atomically.
  void download_target(const TargetInfo& info, const std::filesystem::path& destination);

  // Valid after refresh().
  MetadataStatus status() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

// The "init" step: checks that `root_json` is root metadata signed by a
// threshold of its own root keys (its expiry does not matter) and writes it
// as DIR/root.json, creating DIR. Replaces any metadata already there.
void initialize_metadata_dir(const std::filesystem::path& metadata_dir, std::string_view root_json);

}  // namespace model_signing::tuf
#pragma GCC visibility pop
