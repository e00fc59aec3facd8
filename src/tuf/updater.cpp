// The TUF client workflow (spec section 5) over a local metadata directory
// and a Fetcher: which files to read, fetch and persist, in which order.
// The checks themselves are TrustedMetadata's.
#include <fcntl.h>
#include <sys/stat.h>

#include <algorithm>
#include <set>
#include <stdexcept>
#include <utility>
#include <vector>

#include "model_signing/tuf.h"
#include "tuf/delegation_paths.h"
#include "tuf/trusted_metadata.h"
#include "tuf/tuf_error.h"
#include "util/encoding.h"
#include "util/file_io.h"

namespace model_signing::tuf {

namespace fs = std::filesystem;

namespace {

// Delegated role names come from the repository: in file names and URLs
// they are percent-encoded whole (as python-tuf does), so "../x" or "a/b"
// can neither leave the metadata directory nor change the URL's path.
std::string role_filename(const std::string& role) {
  if (role == "root" || role == "timestamp" || role == "snapshot" || role == "targets") {
    return role + ".json";
  }
  return util::url_encode(role) + ".json";
}

// Each '/'-separated segment percent-encoded; with `hash`, the last one
// becomes HASH.NAME (consistent snapshots, spec 5.7.3).
std::string target_url_path(const std::string& path, const std::string& hash) {
  std::string out;
  std::size_t start = 0;
  while (true) {
    std::size_t slash = path.find('/', start);
    std::string segment = path.substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (slash == std::string::npos) {
      if (!hash.empty()) segment = hash + "." + segment;
      out += util::url_encode(segment);
      return out;
    }
    out += util::url_encode(segment) + "/";
    start = slash + 1;
  }
}

std::string join_url(std::string base, const std::string& name) {
  while (!base.empty() && base.back() == '/') base.pop_back();
  return base + "/" + name;
}

Seconds to_seconds(Clock::time_point t) { return std::chrono::floor<std::chrono::seconds>(t); }
Clock::time_point to_clock(Seconds t) { return Clock::time_point(t.time_since_epoch()); }

}  // namespace

struct Updater::State {
  UpdaterOptions options;
  std::shared_ptr<Fetcher> fetcher;
  std::unique_ptr<TrustedMetadata> trusted;
  std::map<std::string, std::optional<TargetInfo>> lookups;
  Seconds now{};

  fs::path local(const std::string& file) const { return options.metadata_dir / file; }

  std::optional<std::string> read_local(const std::string& file, std::size_t max_bytes) const {
    std::error_code ec;
    if (!fs::exists(local(file), ec)) return std::nullopt;
    try {
      return util::read_file(local(file), max_bytes);
    } catch (const Error&) {
      return std::nullopt;  // unreadable or oversized: as good as absent
    }
  }

  void persist(const std::string& file, std::string_view bytes) const {
    try {
      util::write_file_atomically(local(file), bytes);
    } catch (const Error& e) {
      fail(FailureReason::kIo, file, e.what());
    }
  }

  void remove_local(const std::string& file) const {
    std::error_code ec;
    fs::remove(local(file), ec);
    if (ec) fail(FailureReason::kIo, file, "cannot remove " + local(file).string() + ": " + ec.message());
  }

  // nullopt when the repository has no such file (HTTP 403/404).
  std::optional<std::string> fetch(const std::string& url, const std::string& subject,
                                   std::size_t max_bytes) const {
    if (options.offline) fail(FailureReason::kNetwork, subject, "not in the cache, and the updater is offline");
    Fetcher::Result result;
    try {
      result = fetcher->fetch(url, max_bytes);
    } catch (const TufError&) {
      throw;
    } catch (const Error& e) {
      fail(FailureReason::kNetwork, subject, e.what());
    }
    switch (result.status) {
      case Fetcher::Result::Status::kNotFound:
        return std::nullopt;
      case Fetcher::Result::Status::kTooLarge:
        fail(FailureReason::kTooLarge, subject,
             "the repository's answer exceeds the " + std::to_string(max_bytes) + "-byte limit");
      case Fetcher::Result::Status::kOk:
        break;
    }
    if (result.body.size() > max_bytes) {
      fail(FailureReason::kTooLarge, subject,
           "the repository's answer exceeds the " + std::to_string(max_bytes) + "-byte limit");
    }
    return std::move(result.body);
  }

  std::string fetch_required(const std::string& url, const std::string& subject,
                             std::size_t max_bytes) const {
    auto bytes = fetch(url, subject, max_bytes);
    if (!bytes) fail(FailureReason::kNetwork, subject, "not found at " + url);
    return std::move(*bytes);
  }

  std::string metadata_url(const std::string& remote_name) const {
    return join_url(options.metadata_url, remote_name);
  }

  std::size_t max_local_bytes() const {
    const Limits& l = options.limits;
    return std::max({l.root_max_bytes, l.timestamp_max_bytes, l.snapshot_max_bytes, l.targets_max_bytes});
  }

  std::string load_trusted_root() const {
    auto root = read_local("root.json", options.limits.root_max_bytes);
    if (!root) {
      fail(FailureReason::kIo, "root.json",
           "no trusted root in " + options.metadata_dir.string() + " (initialize the metadata directory first)");
    }
    return *root;
  }

  // 5.3
  void update_root() {
    std::vector<std::string> old_timestamp_keys = trusted->root().roles.at("timestamp").keyids;
    std::vector<std::string> old_snapshot_keys = trusted->root().roles.at("snapshot").keyids;
    for (int i = 0; i < options.limits.max_root_rotations; ++i) {
      std::string name = std::to_string(trusted->root().version + 1) + ".root.json";
      auto bytes = fetch(metadata_url(name), name, options.limits.root_max_bytes);
      if (!bytes) break;
      trusted->update_root(*bytes, name);
      persist("root.json", *bytes);  // 5.3.8
    }
    trusted->check_root_fresh();  // 5.3.10
    // 5.3.11: recover from a fast-forward attack once the keys rotate.
    auto sorted = [](std::vector<std::string> v) {
      std::sort(v.begin(), v.end());
      return v;
    };
    bool timestamp_rotated =
        sorted(old_timestamp_keys) != sorted(trusted->root().roles.at("timestamp").keyids);
    bool snapshot_rotated = sorted(old_snapshot_keys) != sorted(trusted->root().roles.at("snapshot").keyids);
    if (timestamp_rotated || snapshot_rotated) {
      remove_local("timestamp.json");
      remove_local("snapshot.json");
    }
  }

  // 5.4
  void update_timestamp() {
    if (auto cached = read_local("timestamp.json", options.limits.timestamp_max_bytes)) {
      try {
        trusted->update_timestamp(*cached);
      } catch (const TufError&) {
        // Not valid as final (e.g. expired); if it verified it still
        // guards against rollback of the new one.
      }
    }
    std::string bytes =
        fetch_required(metadata_url("timestamp.json"), "timestamp.json", options.limits.timestamp_max_bytes);
    if (trusted->update_timestamp(bytes)) persist("timestamp.json", bytes);
  }

  // 5.5: the cached snapshot if it is still the one the timestamp lists.
  void update_snapshot() {
    if (auto cached = read_local("snapshot.json", options.limits.snapshot_max_bytes)) {
      try {
        trusted->update_snapshot(*cached, true);
        return;
      } catch (const TufError&) {
        if (options.offline) throw;
      }
    } else if (options.offline) {
      fail(FailureReason::kIo, "snapshot.json", "not in the cache, and the updater is offline");
    }
    const MetaFile& meta = trusted->timestamp()->snapshot_meta;
    std::string name = trusted->root().consistent_snapshot
                           ? std::to_string(meta.version) + ".snapshot.json"
                           : "snapshot.json";
    std::string bytes = fetch_required(metadata_url(name), "snapshot.json",
                                       meta.length.value_or(options.limits.snapshot_max_bytes));
    trusted->update_snapshot(bytes, false);
    persist("snapshot.json", bytes);
  }

  // 5.6: the cached file if it is the version the snapshot lists.
  const Targets& load_targets(const std::string& role, const std::string& delegator) {
    if (const Targets* loaded = trusted->targets(role)) return *loaded;
    std::string file = role_filename(role);
    if (auto cached = read_local(file, options.limits.targets_max_bytes)) {
      try {
        trusted->update_targets(*cached, role, delegator, true);
        return *trusted->targets(role);
      } catch (const TufError&) {
        if (options.offline) throw;
      }
    } else if (options.offline) {
      fail(FailureReason::kIo, role_file(role), "not in the cache, and the updater is offline");
    }
    trusted->check_snapshot_final();
    const auto& listed = trusted->snapshot()->meta;
    auto meta = listed.find(role + ".json");
    if (meta == listed.end()) fail(FailureReason::kMismatch, role_file(role), "snapshot.json does not list it");
    std::string name = trusted->root().consistent_snapshot
                           ? std::to_string(meta->second.version) + "." + file
                           : file;
    std::string bytes = fetch_required(metadata_url(name), role_file(role),
                                       meta->second.length.value_or(options.limits.targets_max_bytes));
    trusted->update_targets(bytes, role, delegator, false);
    persist(file, bytes);
    return *trusted->targets(role);
  }

  void refresh_online() {
    now = to_seconds(options.reference_time.value_or(Clock::now()));  // 5.1
    trusted = std::make_unique<TrustedMetadata>(load_trusted_root(), now);  // 5.2
    update_root();
    update_timestamp();
    update_snapshot();
    load_targets("targets", "root");
    // The repository confirmed this metadata as current just now.
    ::utimensat(AT_FDCWD, local("timestamp.json").c_str(), nullptr, 0);
  }

  void refresh_offline() {
    now = to_seconds(options.reference_time.value_or(Clock::now()));
    std::optional<Seconds> checked_time;
    if (!options.offline_allow_expired) checked_time = now;
    trusted = std::make_unique<TrustedMetadata>(load_trusted_root(), checked_time);
    trusted->check_root_fresh();
    auto timestamp = read_local("timestamp.json", options.limits.timestamp_max_bytes);
    if (!timestamp) fail(FailureReason::kIo, "timestamp.json", "not in the cache, and the updater is offline");
    trusted->update_timestamp(*timestamp);
    update_snapshot();
    load_targets("targets", "root");
  }

  // 5.6.7: pre-order depth-first search of the delegation graph.
  std::optional<TargetInfo> find_target(const std::string& path) {
    std::vector<std::pair<std::string, std::string>> to_visit = {{"targets", "root"}};
    std::set<std::string> visited;
    int budget = options.limits.max_delegations;
    while (!to_visit.empty() && budget > 0) {
      auto [role, delegator] = to_visit.back();
      to_visit.pop_back();
      if (!visited.insert(role).second) continue;
      --budget;
      const Targets& targets = load_targets(role, delegator);
      if (auto it = targets.targets.find(path); it != targets.targets.end()) {
        TargetInfo info;
        info.path = path;
        info.length = it->second.length;
        info.hashes = it->second.hashes;
        info.custom_json = it->second.custom_json;
        info.role = role;
        return info;
      }
      if (!targets.delegations) continue;
      std::vector<std::pair<std::string, std::string>> children;
      for (const auto& delegation : targets.delegations->roles) {
        if (!role_covers_path(delegation, path)) continue;
        children.emplace_back(delegation.name, role);
        if (delegation.terminating) {
          to_visit.clear();  // nothing after a terminating match is considered
          break;
        }
      }
      to_visit.insert(to_visit.end(), children.rbegin(), children.rend());
    }
    return std::nullopt;
  }
};

Updater::Updater(UpdaterOptions options) : state_(std::make_unique<State>()) {
  if (options.metadata_dir.empty()) throw Error(ErrorKind::kInvalidArgument, "TUF: no metadata directory given");
  if (!options.offline && options.metadata_url.empty()) {
    throw Error(ErrorKind::kInvalidArgument, "TUF: no metadata URL given");
  }
  state_->fetcher = options.fetcher ? options.fetcher : make_http_fetcher(options.http);
  state_->options = std::move(options);
}

Updater::~Updater() = default;

void Updater::refresh() {
  state_->lookups.clear();
  state_->trusted.reset();
  try {
    if (state_->options.offline) {
      state_->refresh_offline();
    } else {
      state_->refresh_online();
    }
  } catch (...) {
    state_->trusted.reset();
    throw;
  }
}

std::optional<TargetInfo> Updater::get_target_info(const std::string& target_path) {
  if (!state_->trusted) refresh();
  auto cached = state_->lookups.find(target_path);
  if (cached != state_->lookups.end()) return cached->second;
  auto info = state_->find_target(target_path);
  state_->lookups.emplace(target_path, info);
  return info;
}

bool Updater::is_cached(const TargetInfo& info, const fs::path& file) const {
  std::error_code ec;
  if (!fs::is_regular_file(file, ec) || fs::file_size(file, ec) != info.length || ec) return false;
  try {
    std::string bytes = util::read_file(file, info.length);
    return bytes.size() == info.length && matches_hashes(bytes, info.hashes);
  } catch (const Error&) {
    return false;
  }
}

std::string Updater::fetch_target(const TargetInfo& info) {
  std::string subject = "target " + util::printable(info.path);
  if (!state_->trusted) refresh();
  const auto& options = state_->options;
  if (options.target_base_url.empty()) fail(FailureReason::kIo, subject, "no target base URL is configured");
  std::string hash;
  if (state_->trusted->root().consistent_snapshot) {
    auto sha256 = info.hashes.find("sha256");
    hash = sha256 != info.hashes.end() ? sha256->second : info.hashes.begin()->second;
  }
  std::string url = join_url(options.target_base_url, target_url_path(info.path, hash));
  auto bytes = state_->fetch(url, subject, info.length);
  if (!bytes) fail(FailureReason::kNetwork, subject, "not found at " + url);
  verify_length_and_hashes(*bytes, info.length, info.hashes, subject, role_file(info.role));
  return std::move(*bytes);
}

void Updater::download_target(const TargetInfo& info, const fs::path& destination) {
  std::string bytes = fetch_target(info);
  try {
    util::write_file_atomically(destination, bytes);
  } catch (const Error& e) {
    fail(FailureReason::kIo, "target " + util::printable(info.path), e.what());
  }
}

MetadataStatus Updater::status() const {
  if (!state_->trusted) throw std::logic_error("TUF status() before refresh()");
  const TrustedMetadata& t = *state_->trusted;
  MetadataStatus s;
  s.offline = state_->options.offline;
  s.root_version = t.root().version;
  s.root_expires = to_clock(t.root().expires);
  Seconds earliest = t.root().expires;
  if (const Timestamp* ts = t.timestamp()) {
    s.timestamp_version = ts->version;
    s.timestamp_expires = to_clock(ts->expires);
    earliest = std::min(earliest, ts->expires);
  }
  if (const Snapshot* snap = t.snapshot()) {
    s.snapshot_version = snap->version;
    earliest = std::min(earliest, snap->expires);
  }
  if (const Targets* targets = t.targets("targets")) {
    s.targets_version = targets->version;
    earliest = std::min(earliest, targets->expires);
  }
  s.expires = to_clock(earliest);
  s.expired = earliest <= state_->now;
  std::error_code ec;
  auto written = fs::last_write_time(state_->local("timestamp.json"), ec);
  if (!ec) {
    s.last_refreshed = std::chrono::time_point_cast<Clock::duration>(std::chrono::file_clock::to_sys(written));
  }
  return s;
}

void initialize_metadata_dir(const fs::path& metadata_dir, std::string_view root_json) {
  TrustedMetadata check(root_json, std::nullopt);
  std::error_code ec;
  fs::create_directories(metadata_dir, ec);
  if (ec) fail(FailureReason::kIo, "root.json", "cannot create " + metadata_dir.string() + ": " + ec.message());
  for (const auto& entry : fs::directory_iterator(metadata_dir, ec)) {
    if (entry.path().extension() == ".json" && entry.is_regular_file()) fs::remove(entry.path(), ec);
  }
  try {
    util::write_file_atomically(metadata_dir / "root.json", root_json);
  } catch (const Error& e) {
    fail(FailureReason::kIo, "root.json", e.what());
  }
}

}  // namespace model_signing::tuf
