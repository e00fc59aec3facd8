// Sigstore trust through TUF: trusted_root.json and signing_config.v0.2.json
// as targets of the instance's repository, kept in a per-repository cache
// and falling back to it (or to the embedded trust) when the repository
// cannot be reached.
#include "sigstore/trust/tuf_trust.h"

#include <fcntl.h>
#include <pwd.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>

#include "model_signing/error.h"
#include "sigstore/trust/embedded_trust.h"
#include "util/encoding.h"
#include "util/error_context.h"
#include "util/file_io.h"

namespace model_signing::sigstore {

namespace fs = std::filesystem;

namespace {

constexpr const char* kTrustedRootTarget = "trusted_root.json";
constexpr const char* kSigningConfigTarget = "signing_config.v0.2.json";
constexpr std::size_t kMaxRootBytes = 512000;

std::string without_trailing_slashes(std::string url) {
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url;
}

const char* instance_name(Instance instance) {
  return instance == Instance::kProduction ? "production" : "staging";
}

// The repository to use: a public instance's (which has embedded trust to
// bootstrap from and to fall back to) or a private one's.
struct Repository {
  std::string url;
  std::optional<Instance> instance;
  std::filesystem::path initial_root;

  std::string label() const { return "the TUF repository " + url; }

  std::string root_json() const {
    if (!initial_root.empty()) return util::read_file(initial_root, kMaxRootBytes);
    if (!instance) {
      throw Error(ErrorKind::kInvalidArgument,
                  "no root.json to start trusting " + label() +
                      ": give its initial root (--tuf-root ROOT.json)");
    }
    return std::string(*instance == Instance::kProduction ? embedded::kProductionTufRoot
                                                          : embedded::kStagingTufRoot);
  }
};

Repository repository_for(const TrustOptions& options) {
  Repository repo;
  repo.initial_root = options.tuf.initial_root;
  std::string url = without_trailing_slashes(options.tuf.repository_url);
  if (url.empty()) {
    repo.instance = options.use_staging ? Instance::kStaging : Instance::kProduction;
    url = std::string(options.use_staging ? kStagingTufUrl : kProductionTufUrl);
  } else if (url == kProductionTufUrl) {
    repo.instance = Instance::kProduction;
  } else if (url == kStagingTufUrl) {
    repo.instance = Instance::kStaging;
  }
  repo.url = url;
  return repo;
}

// A lock on one repository's cache for the whole selection, so that
// concurrent runs never see each other's half-updated metadata: exclusive
// for an update (required), shared for reading (best effort: a read-only
// cache can still be read).
class CacheLock {
 public:
  CacheLock(const fs::path& file, bool exclusive) {
    fd_ = ::open(file.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0600);
    if (fd_ < 0 && !exclusive) fd_ = ::open(file.c_str(), O_RDONLY | O_CLOEXEC);
    if (fd_ < 0 || ::flock(fd_, exclusive ? LOCK_EX : LOCK_SH) != 0) {
      std::string why = std::strerror(errno);
      if (fd_ >= 0) ::close(fd_);
      fd_ = -1;
      if (exclusive) {
        throw Error(ErrorKind::kIo, "cannot lock the TUF cache " + file.parent_path().string() + ": " + why);
      }
    }
  }
  ~CacheLock() {
    if (fd_ >= 0) ::close(fd_);
  }
  CacheLock(const CacheLock&) = delete;
  CacheLock& operator=(const CacheLock&) = delete;

 private:
  int fd_ = -1;
};

std::string describe_age(tuf::Clock::duration age) {
  using namespace std::chrono;
  auto plural = [](long long n, const char* unit) {
    return std::to_string(n) + " " + unit + (n == 1 ? "" : "s") + " ago";
  };
  if (age < minutes(1)) return "just now";
  if (age < hours(1)) return plural(duration_cast<minutes>(age).count(), "minute");
  if (age < hours(48)) return plural(duration_cast<hours>(age).count(), "hour");
  return plural(duration_cast<hours>(age).count() / 24, "day");
}

std::string format_clock(tuf::Clock::time_point t) {
  return format_time(std::chrono::time_point_cast<std::chrono::nanoseconds>(t));
}

// "last refreshed 2026-12-01T10:00:00Z (2 days ago)".
std::string refreshed(const tuf::MetadataStatus& status) {
  if (!status.last_refreshed) return "never refreshed online";
  return "last refreshed " + format_clock(*status.last_refreshed) + " (" +
         describe_age(tuf::Clock::now() - *status.last_refreshed) + ")";
}

std::string versions(const tuf::MetadataStatus& status) {
  return "root version " + std::to_string(status.root_version) + ", timestamp version " +
         std::to_string(status.timestamp_version);
}

// A cache directory for one run, removed afterwards.
class TemporaryCache {
 public:
  TemporaryCache() {
    std::string templ = (fs::temp_directory_path() / "model_signing-tuf-XXXXXX").string();
    if (!::mkdtemp(templ.data())) {
      throw Error(ErrorKind::kIo, "cannot create a temporary TUF cache: " + std::string(std::strerror(errno)));
    }
    path_ = templ;
  }
  ~TemporaryCache() {
    std::error_code ec;
    fs::remove_all(path_, ec);
  }
  TemporaryCache(const TemporaryCache&) = delete;
  TemporaryCache& operator=(const TemporaryCache&) = delete;
  const fs::path& path() const { return path_; }

 private:
  fs::path path_;
};

// Creates DIR/metadata and DIR/targets; returns DIR/lock.
fs::path prepare(const fs::path& dir) {
  std::error_code ec;
  fs::create_directories(dir / "metadata", ec);
  if (!ec) fs::create_directories(dir / "targets", ec);
  if (ec) throw Error(ErrorKind::kIo, "cannot create the TUF cache " + dir.string() + ": " + ec.message());
  return dir / "lock";
}

class TufTrust {
 public:
  TufTrust(const TrustOptions& options, Repository repo)
      : options_(options), repo_(std::move(repo)) {
    fs::path base = options.tuf.cache_dir.empty() ? default_tuf_cache_dir() : options.tuf.cache_dir;
    dir_ = tuf_cache_dir(base, repo_.url);
  }

  SelectedTrust select() {
    bool offline = options_.tuf.update == TrustUpdate::kTufOffline;
    std::shared_ptr<tuf::Fetcher> fetcher = options_.tuf.fetcher;
    std::string offline_reason = "offline";
    if (!offline && !fetcher) {
      try {
        fetcher = tuf::make_http_fetcher(options_.tuf.http);
      } catch (const Error& e) {
        // A build without the network client, or a machine without
        // libcurl, is offline by nature.
        if (e.kind() != ErrorKind::kUnsupported || options_.tuf.require_fresh) throw;
        offline = true;
        offline_reason = e.what();
      }
    }
    if (offline) {
      std::error_code ec;
      std::optional<CacheLock> lock;
      if (fs::is_directory(dir_, ec)) lock.emplace(dir_ / "lock", false);
      return from_cache(std::nullopt, offline_reason);
    }
    // A cache that cannot be written (a read-only home in a container)
    // must not stop verification: a temporary one does for this run.
    std::optional<CacheLock> lock;
    std::optional<TemporaryCache> temporary;
    std::string unusable;
    try {
      lock.emplace(prepare(dir_), true);
    } catch (const Error& e) {
      unusable = e.what();
      temporary.emplace();
      dir_ = temporary->path();
      lock.emplace(prepare(dir_), true);
    }
    SelectedTrust s;
    try {
      s = online(std::move(fetcher));
    } catch (const tuf::TufError& e) {
      if (e.reason() != tuf::FailureReason::kNetwork || options_.tuf.require_fresh) throw;
      s = from_cache(std::string(e.what()), "");
    }
    if (temporary) {
      s.cache.clear();
      s.warnings.insert(s.warnings.begin(), unusable + "; using a temporary TUF cache for this run");
    }
    return s;
  }

 private:
  fs::path metadata_dir() const { return dir_ / "metadata"; }
  fs::path target_file(const char* name) const { return dir_ / "targets" / name; }

  tuf::UpdaterOptions updater_options(bool offline) const {
    tuf::UpdaterOptions o;
    o.metadata_dir = metadata_dir();
    o.metadata_url = repo_.url;
    o.target_base_url = repo_.url + "/targets";
    o.http = options_.tuf.http;
    o.offline = offline;
    o.offline_allow_expired = offline;
    return o;
  }

  SelectedTrust selected(SelectedTrust::Origin origin, const tuf::MetadataStatus& status) const {
    SelectedTrust s;
    s.origin = origin;
    s.repository_url = repo_.url;
    s.cache = dir_;
    s.metadata = status;
    return s;
  }

  // The target's bytes: the cached copy when it is the one the metadata
  // lists, else (online) downloaded into the cache.
  std::optional<std::string> target(tuf::Updater& updater, const char* name, bool offline) const {
    std::optional<tuf::TargetInfo> info = updater.get_target_info(name);
    if (!info) return std::nullopt;
    fs::path file = target_file(name);
    if (!updater.is_cached(*info, file)) {
      if (offline) {
        throw tuf::TufError(tuf::FailureReason::kMismatch, std::string("target ") + name,
                            std::string("TUF target ") + name + ": the cached copy in " + dir_.string() +
                                " is not the one the cached metadata lists");
      }
      updater.download_target(*info, file);
    }
    return util::read_file(file, info->length);
  }

  std::string target_label(const char* name) const {
    return std::string("TUF target ") + name + " from " + repo_.label();
  }

  void parse_targets(SelectedTrust& s, tuf::Updater& updater, bool offline) const {
    auto root = target(updater, kTrustedRootTarget, offline);
    if (!root) {
      throw Error(ErrorKind::kInvalidArgument,
                  "TUF target trusted_root.json: " + repo_.label() + " does not list it");
    }
    s.config.media_type = "application/vnd.dev.sigstore.clienttrustconfig.v0.1+json";
    s.config.trusted_root =
        util::with_error_prefix(target_label(kTrustedRootTarget), [&] { return parse_trusted_root(*root); });
    if (!options_.need_signing_config) return;
    auto signing = target(updater, kSigningConfigTarget, offline);
    if (signing) {
      s.config.signing_config = util::with_error_prefix(target_label(kSigningConfigTarget),
                                                        [&] { return parse_signing_config(*signing); });
    } else if (repo_.instance) {
      s.config.signing_config = embedded_trust_config(*repo_.instance).signing_config;
      s.warnings.push_back(repo_.label() + " lists no signing_config.v0.2.json" +
                           (offline ? " in the cache" : "") +
                           "; using the signing config built into model_signing");
    } else {
      throw Error(ErrorKind::kInvalidArgument,
                  "TUF target signing_config.v0.2.json: " + repo_.label() +
                      " does not list it; signing needs it (or a client trust config, --trust-config)");
    }
  }

  void bootstrap() const {
    std::error_code ec;
    if (fs::exists(metadata_dir() / "root.json", ec)) return;
    tuf::initialize_metadata_dir(metadata_dir(), repo_.root_json());
  }

  SelectedTrust online(std::shared_ptr<tuf::Fetcher> fetcher) const {
    bootstrap();
    tuf::UpdaterOptions o = updater_options(false);
    o.fetcher = std::move(fetcher);
    tuf::Updater updater(std::move(o));
    updater.refresh();
    SelectedTrust s = selected(SelectedTrust::Origin::kTufRepository, updater.status());
    parse_targets(s, updater, false);
    s.info.push_back("Sigstore trust: trusted_root.json from " + repo_.label() + " (" + versions(*s.metadata) +
                     "), refreshed just now; cached in " + dir_.string());
    return s;
  }

  bool has_cache() const {
    std::error_code ec;
    return fs::exists(metadata_dir() / "root.json", ec) && fs::exists(metadata_dir() / "timestamp.json", ec) &&
           fs::exists(target_file(kTrustedRootTarget), ec);
  }

  // `unreachable`: why the repository could not be reached (a fallback the
  // user did not ask for: warn); nullopt when offline was asked for.
  SelectedTrust from_cache(const std::optional<std::string>& unreachable,
                           const std::string& offline_reason) const {
    if (!has_cache()) {
      if (!repo_.instance) {
        throw Error(ErrorKind::kNetwork,
                    "no trust for " + repo_.label() + " is cached in " + dir_.string() +
                        (unreachable ? ", and it cannot be reached: " + *unreachable
                                     : ", and it is not contacted (" + offline_reason + ")"));
      }
      SelectedTrust s;
      s.origin = SelectedTrust::Origin::kEmbedded;
      s.repository_url = repo_.url;
      s.cache = dir_;
      s.config = embedded_trust_config(*repo_.instance);
      std::string what = std::string("the ") + instance_name(*repo_.instance) +
                         " trust built into model_signing (nothing is cached in " + dir_.string() + ")";
      if (unreachable) {
        s.warnings.push_back("cannot reach " + repo_.label() + " (" + *unreachable + "); using " + what);
      }
      s.info.push_back("Sigstore trust: " + what + (unreachable ? "" : "; " + offline_reason));
      return s;
    }
    tuf::Updater updater(updater_options(true));
    SelectedTrust s;
    try {
      updater.refresh();
      s = selected(SelectedTrust::Origin::kTufCache, updater.status());
      parse_targets(s, updater, true);
    } catch (const tuf::TufError& e) {
      throw tuf::TufError(e.reason(), e.subject(),
                          (unreachable ? "cannot reach " + repo_.label() + " (" + *unreachable + "), and " : "") +
                              "the cache " + dir_.string() + " does not verify: " + e.what());
    }
    const tuf::MetadataStatus& status = *s.metadata;
    std::string cached = "the trust cached from " + repo_.label() + ", " + refreshed(status);
    if (unreachable) {
      s.warnings.push_back("cannot reach " + repo_.label() + " (" + *unreachable + "); using " + cached);
    }
    if (status.expired) {
      s.warnings.push_back("the cached TUF metadata of " + repo_.label() + " expired at " +
                           format_clock(status.expires) + "; using it anyway (" +
                           (unreachable ? "the repository cannot be reached" : offline_reason) + ")");
    }
    s.info.push_back("Sigstore trust: trusted_root.json from " + cached + " (" + versions(status) + "), in " +
                     dir_.string() + (unreachable ? "" : "; " + offline_reason));
    return s;
  }

  const TrustOptions& options_;
  Repository repo_;
  fs::path dir_;
};

}  // namespace

fs::path default_tuf_cache_dir() {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  fs::path base;
  if (xdg && *xdg && fs::path(xdg).is_absolute()) {
    base = xdg;
  } else {
    const char* home = std::getenv("HOME");
    if (home && *home) {
      base = fs::path(home) / ".cache";
    } else if (const passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir && *pw->pw_dir) {
      base = fs::path(pw->pw_dir) / ".cache";
    } else {
      throw Error(ErrorKind::kInvalidArgument,
                  "no cache directory for TUF metadata: set XDG_CACHE_HOME or HOME");
    }
  }
  return base / "model_signing" / "tuf";
}

fs::path tuf_cache_dir(const fs::path& cache_dir, const std::string& repository_url) {
  return cache_dir / util::url_encode(without_trailing_slashes(repository_url));
}

SelectedTrust select_tuf_trust(const TrustOptions& options) {
  return TufTrust(options, repository_for(options)).select();
}

}  // namespace model_signing::sigstore
