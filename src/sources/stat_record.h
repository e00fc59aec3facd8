// The stat record kept next to a signature (<signature>.stat.json): the size
// and modification time each signed file had when the signature was made,
// so a later signing can tell which files are unchanged without reading
// them. It says nothing about digests: those come from the signature, once
// it has verified. See the README's "Incremental re-signing".
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "walk/model_walk.h"

namespace model_signing::sources {

struct FileStat {
  std::uint64_t size = 0;
  std::int64_t mtime_ns = 0;
  bool operator==(const FileStat&) const = default;
};

struct StatRecord {
  std::string signature_sha256;  // hex SHA-256 of the signature file's bytes
  std::string model;             // the model's canonical absolute path
  std::map<std::string, FileStat> files;
};

// Files modified this close to the walk are not recorded: a later change in
// the same timestamp tick would keep the recorded mtime (git's "racy clean"
// problem; 2 s covers the coarsest common timestamps).
inline constexpr std::int64_t kRacyWindowNs = 2'000'000'000;

// The record of `files` as the walk saw them (starting at `walk_started_ns`,
// CLOCK_REALTIME): each file is stat'ed again, and kept only when it still
// has the walk's size and mtime and that mtime lies before the racy window.
StatRecord capture_stat_record(const std::filesystem::path& model_path,
                               const std::vector<walk::ModelFile>& files,
                               std::int64_t walk_started_ns);

std::string stat_record_json(const StatRecord& record);

// Reads a record; Error(kInvalidArgument) naming the file if it is missing
// or malformed.
StatRecord read_stat_record(const std::filesystem::path& path);

// The same, from the record's text; `where` names it in errors.
StatRecord parse_stat_record(std::string_view text, const std::string& where);

// The canonical absolute path a record names a model by.
std::string canonical_model_path(const std::filesystem::path& model_path);

std::int64_t realtime_now_ns();

}  // namespace model_signing::sources
