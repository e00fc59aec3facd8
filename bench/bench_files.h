// Scratch files for the micro-benchmarks: random bytes under $TMPDIR.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace model_signing::bench {

// $TMPDIR (or /tmp) + "/ms-" + name.
std::string scratch_path(const std::string& name);

// Writes `size` pseudo-random bytes (from `seed`) to `path`, replacing it,
// `write_size` bytes per write() (which sets the size of the page-cache
// folios the file is held in, and so how fast mapped reads of it go).
void write_random_file(const std::string& path, std::uint64_t size, std::uint64_t seed,
                       std::size_t write_size = std::size_t{1} << 20);

}  // namespace model_signing::bench
