// Scratch files for the micro-benchmarks: random bytes under $TMPDIR.
#pragma once

#include <cstdint>
#include <string>

namespace model_signing::bench {

// $TMPDIR (or /tmp) + "/ms-" + name.
std::string scratch_path(const std::string& name);

// Writes `size` pseudo-random bytes (from `seed`) to `path`, replacing it.
void write_random_file(const std::string& path, std::uint64_t size, std::uint64_t seed);

}  // namespace model_signing::bench
