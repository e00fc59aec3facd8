#include "bench_files.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <random>
#include <vector>

namespace model_signing::bench {

std::string scratch_path(const std::string& name) {
  const char* tmp = std::getenv("TMPDIR");
  return std::string(tmp && *tmp ? tmp : "/tmp") + "/ms-" + name;
}

void write_random_file(const std::string& path, std::uint64_t size, std::uint64_t seed,
                       std::size_t write_size) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  if (fd < 0) std::abort();
  std::vector<unsigned char> block(write_size);
  std::mt19937_64 rng(seed);
  for (std::uint64_t done = 0; done < size; done += block.size()) {
    for (auto& b : block) b = static_cast<unsigned char>(rng());
    std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(block.size(), size - done));
    if (::write(fd, block.data(), n) != static_cast<ssize_t>(n)) std::abort();
  }
  ::close(fd);
}

}  // namespace model_signing::bench
