// Enumerating the files of a model: a directory tree or a single file.
//
// Never opens anything but directories and regular files, so a FIFO in the
// tree cannot block the walk; symlinks follow the configured policy.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

#include "model_signing/hashing.h"
#include "walk/ignore_rules.h"

namespace model_signing::walk {

struct ModelFile {
  std::string name;       // relative to the model root, '/'-separated
  std::string open_path;  // what to open to read it
  std::uint64_t size = 0;
  // Modification time (nanoseconds since the epoch) when the walk saw it.
  std::int64_t mtime_ns = 0;
};

struct ModelTree {
  bool single_file = false;
  std::vector<ModelFile> files;  // in directory order, not sorted
  // One per symbolic link that leads out of the model or back into an
  // ancestor directory (OMS 6.1.1), or to a directory (never descended).
  std::vector<std::string> warnings;
};

struct WalkOptions {
  IgnoreRules ignore;
  bool allow_symlinks = false;
  SingleFileName single_file_name = SingleFileName::kBasename;
  // Threads that may stat the entries of a large directory at once.
  unsigned threads = 1;
};

// The model's name: the basename of its path, or of the resolved path for
// "." and "..". The statement's subject, and a single-file model's resource.
std::string model_name(const std::filesystem::path& model_path);

// Throws Error(kIo) if the model path is missing or unreadable and
// Error(kModelLayout) for symlinks (unless allowed), broken links, special
// files and names that are not UTF-8.
ModelTree walk_model(const std::filesystem::path& model_path, const WalkOptions& options);

// Resolves manifest names to files without walking the tree. Each name must
// be relative, free of "." and ".." components, reach its file through real
// directories only and (after resolving a final symlink, when allowed) stay
// inside the model root. Throws Error(kMalformedBundle) for unsafe names and
// Error(kModelLayout)/Error(kIo) for files that are missing or not regular.
// Names of files that do not exist are returned in `missing`.
ModelTree resolve_named_files(const std::filesystem::path& model_path,
                              const std::vector<std::string>& names, bool allow_symlinks,
                              std::vector<std::string>& missing);

// A name for messages: control characters and invalid UTF-8 escaped, and
// the middle of a very long name left out.
std::string printable_name(std::string_view name);

}  // namespace model_signing::walk
