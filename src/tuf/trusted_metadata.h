// The trusted metadata of one update (spec 5.2-5.6): each update_* step
// takes the bytes of a new file, runs the spec's checks against what is
// already trusted, and makes it trusted only if all pass. Which files to
// fetch, from where, and what to persist is the updater's business.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "tuf/metadata.h"

namespace model_signing::tuf {

class TrustedMetadata {
 public:
  // Loads the trusted root: it must be signed by a threshold of its own root
  // keys; its expiry does not matter yet (5.2). `reference_time` is the fixed
  // update start time (5.1); nullopt disables every expiry check (offline
  // use of an expired cache).
  TrustedMetadata(std::string_view root_bytes, std::optional<Seconds> reference_time);

  const Root& root() const { return root_; }
  const Timestamp* timestamp() const { return timestamp_ ? &*timestamp_ : nullptr; }
  const Snapshot* snapshot() const { return snapshot_ ? &*snapshot_ : nullptr; }
  const Targets* targets(const std::string& role) const;

  // 5.3.4-5.3.7: `file` is the name fetched ("N.root.json").
  void update_root(std::string_view bytes, const std::string& file);
  // 5.3.10: throws TufError(kExpired) if the final root has expired.
  void check_root_fresh() const;

  // 5.4.2-5.4.4. Returns false, keeping the trusted timestamp, when the new
  // one has the same version (nothing new: not an error). A verified but
  // expired timestamp still becomes trusted, for rollback checks of the
  // next one, and then TufError(kExpired) is thrown.
  bool update_timestamp(std::string_view bytes);

  // 5.5.2-5.5.6. `from_cache`: bytes of the local snapshot.json, which were
  // checked against an earlier timestamp when stored, so the current
  // timestamp's hashes are not applied; a cached snapshot that passes the
  // signature and rollback checks stays trusted for the rollback checks of
  // a new one even if it is not the version the timestamp lists (then this
  // throws).
  void update_snapshot(std::string_view bytes, bool from_cache);

  // 5.6.2-5.6.5 for the top-level targets (delegator "root") or a delegated
  // role (delegator: the trusted targets role that delegates to it).
  void update_targets(std::string_view bytes, const std::string& role, const std::string& delegator,
                      bool from_cache);

  // Whether the trusted timestamp/snapshot may be used as final (5.4.4,
  // 5.5.4, 5.5.6): throws TufError otherwise.
  void check_timestamp_final() const;
  void check_snapshot_final() const;

 private:
  void check_expiry(const Common& metadata, const std::string& file) const;

  std::optional<Seconds> now_;
  Root root_;
  std::optional<Timestamp> timestamp_;
  std::optional<Snapshot> snapshot_;
  std::map<std::string, Targets> targets_;
};

}  // namespace model_signing::tuf
