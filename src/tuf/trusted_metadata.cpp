#include "tuf/trusted_metadata.h"

#include <stdexcept>

#include "tuf/tuf_error.h"
#include "util/encoding.h"

namespace model_signing::tuf {

namespace {

std::string v(std::uint64_t version) { return "version " + std::to_string(version); }

const RoleKeys& role_of(const Root& root, const char* name) { return root.roles.at(name); }

}  // namespace

TrustedMetadata::TrustedMetadata(std::string_view root_bytes, std::optional<Seconds> reference_time)
    : now_(reference_time), root_(parse_root(root_bytes, "root.json")) {
  require_threshold(root_, root_.keys, role_of(root_, "root"), "root.json",
                    "its own root role (the trusted root must be signed by it)");
}

const Targets* TrustedMetadata::targets(const std::string& role) const {
  auto it = targets_.find(role);
  return it == targets_.end() ? nullptr : &it->second;
}

void TrustedMetadata::check_expiry(const Common& metadata, const std::string& file) const {
  if (now_ && metadata.expires <= *now_) {
    fail(FailureReason::kExpired, file,
         v(metadata.version) + " expired at " + format_expires(metadata.expires) +
             " (a freeze attack, or a repository that is no longer maintained)");
  }
}

void TrustedMetadata::update_root(std::string_view bytes, const std::string& file) {
  if (timestamp_) throw std::logic_error("TUF root updated after the timestamp");
  Root next = parse_root(bytes, file);
  // 5.3.4: a threshold of the trusted root's keys, then of its own.
  require_threshold(next, root_.keys, role_of(root_, "root"), file,
                    "the trusted root (" + v(root_.version) + ")");
  // 5.3.5
  std::uint64_t expected = root_.version + 1;
  if (next.version < expected) {
    fail(FailureReason::kRollback, file,
         v(next.version) + " where " + v(expected) + " was expected (rollback)");
  }
  if (next.version != expected) {
    fail(FailureReason::kMismatch, file, v(next.version) + " where " + v(expected) + " was expected");
  }
  require_threshold(next, next.keys, role_of(next, "root"), file, "its own root role");
  root_ = std::move(next);
}

void TrustedMetadata::check_root_fresh() const { check_expiry(root_, "root.json"); }

bool TrustedMetadata::update_timestamp(std::string_view bytes) {
  if (snapshot_) throw std::logic_error("TUF timestamp updated after the snapshot");
  check_root_fresh();
  Timestamp next = parse_timestamp(bytes, "timestamp.json");
  require_threshold(next, root_.keys, role_of(root_, "timestamp"), "timestamp.json",
                    "the timestamp role");
  if (timestamp_) {
    if (next.version < timestamp_->version) {
      fail(FailureReason::kRollback, "timestamp.json",
           v(next.version) + " is older than the trusted " + v(timestamp_->version) + " (rollback)");
    }
    if (next.version == timestamp_->version) return false;
    if (next.snapshot_meta.version < timestamp_->snapshot_meta.version) {
      fail(FailureReason::kRollback, "timestamp.json",
           "lists snapshot.json " + v(next.snapshot_meta.version) + ", older than the trusted " +
               v(timestamp_->snapshot_meta.version) + " (rollback)");
    }
  }
  timestamp_ = std::move(next);
  check_timestamp_final();
  return true;
}

void TrustedMetadata::check_timestamp_final() const {
  if (!timestamp_) throw std::logic_error("TUF timestamp not loaded");
  check_expiry(*timestamp_, "timestamp.json");
}

void TrustedMetadata::update_snapshot(std::string_view bytes, bool from_cache) {
  if (!timestamp_) throw std::logic_error("TUF snapshot updated before the timestamp");
  if (!targets_.empty()) throw std::logic_error("TUF snapshot updated after targets");
  check_timestamp_final();
  const MetaFile& meta = timestamp_->snapshot_meta;
  // 5.5.2: cheap to check first, and the timestamp is already trusted.
  if (!from_cache) verify_length_and_hashes(bytes, meta.length, meta.hashes, "snapshot.json", "timestamp.json");
  Snapshot next = parse_snapshot(bytes, "snapshot.json");
  require_threshold(next, root_.keys, role_of(root_, "snapshot"), "snapshot.json", "the snapshot role");
  // 5.5.5: no targets role may go back a version or disappear.
  if (snapshot_) {
    for (const auto& [name, old_meta] : snapshot_->meta) {
      auto now = next.meta.find(name);
      if (now == next.meta.end()) {
        fail(FailureReason::kRollback, "snapshot.json",
             "no longer lists " + util::printable(name) + " (rollback)");
      }
      if (now->second.version < old_meta.version) {
        fail(FailureReason::kRollback, "snapshot.json",
             "lists " + util::printable(name) + " " + v(now->second.version) + ", older than the trusted " +
                 v(old_meta.version) + " (rollback)");
      }
    }
  }
  snapshot_ = std::move(next);
  check_snapshot_final();
}

void TrustedMetadata::check_snapshot_final() const {
  if (!snapshot_) throw std::logic_error("TUF snapshot not loaded");
  // 5.5.4 and 5.5.6
  if (snapshot_->version != timestamp_->snapshot_meta.version) {
    fail(FailureReason::kMismatch, "snapshot.json",
         v(snapshot_->version) + ", but timestamp.json lists " + v(timestamp_->snapshot_meta.version));
  }
  check_expiry(*snapshot_, "snapshot.json");
}

void TrustedMetadata::update_targets(std::string_view bytes, const std::string& role,
                                     const std::string& delegator, bool from_cache) {
  if (!snapshot_) throw std::logic_error("TUF targets updated before the snapshot");
  check_snapshot_final();
  std::string file = role_file(role);
  auto meta = snapshot_->meta.find(role + ".json");
  if (meta == snapshot_->meta.end()) {
    fail(FailureReason::kMismatch, file, "snapshot.json does not list it");
  }
  // 5.6.2
  if (!from_cache) {
    verify_length_and_hashes(bytes, meta->second.length, meta->second.hashes, file, "snapshot.json");
  }
  Targets next = parse_targets(bytes, file);
  // 5.6.3: the top-level role's keys are in root; a delegated role's in the
  // delegating role's "delegations".
  if (delegator == "root") {
    require_threshold(next, root_.keys, role_of(root_, "targets"), file, "the targets role");
  } else {
    const Targets* parent = targets(delegator);
    if (!parent || !parent->delegations) throw std::logic_error("TUF delegator not loaded");
    const DelegatedRole* delegation = nullptr;
    for (const auto& r : parent->delegations->roles) {
      if (r.name == role) delegation = &r;
    }
    if (!delegation) throw std::logic_error("TUF delegation not found");
    require_threshold(next, parent->delegations->keys, delegation->keys, file,
                      "role " + util::printable(role) + " as " + role_file(delegator) + " delegates it");
  }
  // 5.6.4
  if (next.version != meta->second.version) {
    fail(next.version < meta->second.version ? FailureReason::kRollback : FailureReason::kMismatch, file,
         v(next.version) + ", but snapshot.json lists " + v(meta->second.version));
  }
  // 5.6.5
  check_expiry(next, file);
  targets_[role] = std::move(next);
}

}  // namespace model_signing::tuf
