// Small file helpers: whole-file reads and atomic writes.
#pragma once

#include <cstddef>
#include <filesystem>
#include <string>
#include <string_view>

namespace model_signing::util {

// open(2) for paths of any length: a path longer than PATH_MAX is opened
// piece by piece with openat(2), with the same meaning (every component
// but the last resolved as open() would). Returns the fd, or -1 with errno.
int open_path(const std::string& path, int flags, unsigned mode = 0);

// Reads a whole regular file. Throws Error(kIo) naming the path; refuses
// anything but a regular file (never blocks on a FIFO) and files larger than
// max_size.
std::string read_file(const std::filesystem::path& path,
                      std::size_t max_size = std::size_t{64} << 20);

// Writes `contents` to a temporary file next to `path`, fsyncs it and renames
// it over `path`. On failure the temporary file is removed and an existing
// file at `path` is left untouched. Throws Error(kIo).
void write_file_atomically(const std::filesystem::path& path, std::string_view contents);

}  // namespace model_signing::util
