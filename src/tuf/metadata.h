// TUF metadata as data (spec section 4, "Document formats"), and parsers
// that take the bytes of a metadata file. A parser checks structure, types
// and values and computes the canonical bytes signatures are over; it checks
// no signature, version or expiry (trusted_metadata.h does). Every problem
// is a TufError(kMalformed) naming the file: parsers never crash, whatever
// the bytes, so they are the fuzzing entry points.
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "tuf/keys.h"

namespace model_signing::tuf {

using Seconds = std::chrono::sys_seconds;

struct Signature {
  std::string keyid;
  std::string sig;  // hex
};

// The fields every role has, and what signature checks need.
struct Common {
  std::string spec_version;
  std::uint64_t version = 0;
  Seconds expires{};
  std::string canonical_signed;  // OLPC canonical JSON of "signed"
  std::vector<Signature> signatures;
};

struct RoleKeys {
  std::vector<std::string> keyids;  // unique
  std::uint64_t threshold = 1;
};

using KeyMap = std::map<std::string, TufKey>;

struct Root : Common {
  bool consistent_snapshot = false;
  KeyMap keys;
  std::map<std::string, RoleKeys> roles;  // at least root, timestamp, snapshot, targets
};

struct MetaFile {
  std::uint64_t version = 0;
  std::optional<std::uint64_t> length;
  std::map<std::string, std::string> hashes;  // empty when absent
};

struct Timestamp : Common {
  MetaFile snapshot_meta;
};

struct Snapshot : Common {
  std::map<std::string, MetaFile> meta;  // "targets.json", "ROLE.json"
};

struct TargetFile {
  std::uint64_t length = 0;
  std::map<std::string, std::string> hashes;  // non-empty
  std::string custom_json;
};

struct DelegatedRole {
  std::string name;
  RoleKeys keys;
  bool terminating = false;
  std::optional<std::vector<std::string>> paths;
  std::optional<std::vector<std::string>> path_hash_prefixes;
};

struct Delegations {
  KeyMap keys;
  std::vector<DelegatedRole> roles;  // in order of priority
};

struct Targets : Common {
  std::map<std::string, TargetFile> targets;
  std::optional<Delegations> delegations;
};

// `file` names the metadata in messages ("root.json", "5.root.json", ...).
Root parse_root(std::string_view bytes, const std::string& file);
Timestamp parse_timestamp(std::string_view bytes, const std::string& file);
Snapshot parse_snapshot(std::string_view bytes, const std::string& file);
Targets parse_targets(std::string_view bytes, const std::string& file);

// Whether the metadata is signed by at least `role.threshold` distinct keys
// of `role` (a key listed under several keyids, or signing several times,
// counts once). Returns the number of keys whose signature verified.
std::size_t count_valid_signatures(const Common& metadata, const KeyMap& keys, const RoleKeys& role);
// count_valid_signatures() against the threshold; throws TufError(kSignature)
// "TUF FILE: signed by N of the M required keys of ROLE".
void require_threshold(const Common& metadata, const KeyMap& keys, const RoleKeys& role,
                       const std::string& file, const std::string& role_description);

// Checks bytes against a MetaFile's or TargetFile's length and every hash
// (sha224/256/384/512; any other algorithm fails). Throws TufError(kMismatch).
// "TUF SUBJECT: N bytes, but REFERRER lists M".
void verify_length_and_hashes(std::string_view bytes, std::optional<std::uint64_t> length,
                              const std::map<std::string, std::string>& hashes,
                              const std::string& subject, const std::string& referrer);
// Whether hashing these bytes gives every listed hash (never throws).
bool matches_hashes(std::string_view bytes, const std::map<std::string, std::string>& hashes);

// "YYYY-MM-DDTHH:MM:SSZ" only. nullopt for anything else.
std::optional<Seconds> parse_expires(std::string_view text);
std::string format_expires(Seconds t);

}  // namespace model_signing::tuf
