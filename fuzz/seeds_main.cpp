// fuzz_seeds DIR: writes the seed corpus of every target into DIR/<target>/
// (one file per seed, named by its SHA-256), replacing what was there.
#include <cstdio>
#include <filesystem>
#include <fstream>

#include "crypto/digest.h"
#include "seeds.h"
#include "util/encoding.h"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_seeds DIR\n");
    return 2;
  }
  fs::path out = argv[1];
  std::size_t count = 0;
  for (const auto& [target, inputs] : model_signing::fuzz::make_seeds()) {
    fs::path dir = out / target;
    fs::remove_all(dir);
    fs::create_directories(dir);
    for (const auto& input : inputs) {
      std::string name = model_signing::util::to_hex(model_signing::crypto::sha256(input)).substr(0, 40);
      std::ofstream(dir / name, std::ios::binary) << input;
      ++count;
    }
  }
  std::printf("fuzz_seeds: %zu seeds in %s\n", count, out.c_str());
  return 0;
}
