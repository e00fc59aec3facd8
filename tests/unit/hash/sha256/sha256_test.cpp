// Our SHA-256 (portable and SHA-NI kernels, one input or two interleaved)
// against OpenSSL's one-shot digest: every padding boundary, random update
// splits, pairs of hashers at different offsets; and MS_SHA256_BACKEND
// through the CLI.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <random>

#include "hash/evp_hasher.h"
#include "hash/sha256/sha256_hasher.h"
#include "model_signing/error.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

using hash::Sha256Backend;
using hash::Sha256Hasher;

Digest oracle(const std::string& data) {
  Digest out(32);
  unsigned int len = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), out.data(), &len, EVP_sha256(), nullptr), 1);
  return out;
}

std::string random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  std::string out(size, '\0');
  for (auto& c : out) c = static_cast<char>(rng());
  return out;
}

const std::uint8_t* bytes(const std::string& s) {
  return reinterpret_cast<const std::uint8_t*>(s.data());
}

// The backends of our own this CPU runs.
std::vector<Sha256Backend> own_backends() {
  std::vector<Sha256Backend> out = {Sha256Backend::kPortable};
  if (hash::sha256_backends().supported(Sha256Backend::kShaNi)) out.push_back(Sha256Backend::kShaNi);
  return out;
}

// Lengths at and around the padding boundaries (55/56 bytes into a block)
// and the block size, and some long ones.
const std::vector<std::size_t> kLengths = {0,   1,   3,    55,   56,    57,    63,      64,
                                           65,  119, 120,  127,  128,   129,   191,     1000,
                                           4095, 4096, 4097, 65536, 100003, (1u << 20) + 3};

TEST(Sha256, EveryBackendMatchesOpenSslAtEveryBoundary) {
  for (Sha256Backend backend : own_backends()) {
    for (std::size_t n : kLengths) {
      SCOPED_TRACE(std::string(to_string(backend)) + " length " + std::to_string(n));
      std::string data = random_bytes(n, static_cast<unsigned>(n));
      Sha256Hasher h(backend);
      h.update(bytes(data), data.size());
      EXPECT_EQ(h.finish(), oracle(data));
    }
  }
}

TEST(Sha256, RandomUpdateSplitsAndReuseAfterReset) {
  std::mt19937 rng(7);
  for (Sha256Backend backend : own_backends()) {
    Sha256Hasher h(backend);
    for (int round = 0; round < 40; ++round) {
      std::size_t n = rng() % 20000;
      std::string data = random_bytes(n, 1000 + round);
      SCOPED_TRACE(std::string(to_string(backend)) + " round " + std::to_string(round));
      std::size_t at = 0;
      while (at < n) {
        std::size_t piece = std::min<std::size_t>(n - at, rng() % 300);
        h.update(bytes(data) + at, piece);
        at += piece;
      }
      EXPECT_EQ(h.finish(), oracle(data));
      h.reset();
    }
  }
}

TEST(Sha256, PairedUpdatesMatchSeparateDigestsAtAnyOffsets) {
  for (Sha256Backend backend : own_backends()) {
    // Two hashers already holding different amounts (partial blocks or not),
    // then fed equal-sized pieces together.
    for (std::size_t head_a : {0u, 1u, 63u, 64u, 100u}) {
      for (std::size_t head_b : {0u, 5u, 64u, 127u}) {
        for (std::size_t size : {0u, 1u, 63u, 64u, 65u, 200u, 4103u, 70000u}) {
          SCOPED_TRACE(std::string(to_string(backend)) + " heads " + std::to_string(head_a) + "/" +
                       std::to_string(head_b) + " size " + std::to_string(size));
          std::string a = random_bytes(head_a + 2 * size, static_cast<unsigned>(head_a * 7 + size));
          std::string b = random_bytes(head_b + 2 * size, static_cast<unsigned>(head_b * 11 + size + 1));
          Sha256Hasher ha(backend), hb(backend);
          ha.update(bytes(a), head_a);
          hb.update(bytes(b), head_b);
          ha.update_pair(hb, bytes(a) + head_a, bytes(b) + head_b, size);
          ha.update_pair(hb, bytes(a) + head_a + size, bytes(b) + head_b + size, size);
          EXPECT_EQ(ha.finish(), oracle(a));
          EXPECT_EQ(hb.finish(), oracle(b));
        }
      }
    }
  }
}

TEST(Sha256, OnlySimdHashersPairAndNeverWithThemselves) {
  Sha256Hasher portable(Sha256Backend::kPortable);
  Sha256Hasher portable2(Sha256Backend::kPortable);
  hash::EvpHasher openssl("SHA256");
  EXPECT_FALSE(portable.pairs_with(portable2));
  EXPECT_FALSE(openssl.pairs_with(portable));
  if (!hash::sha256_backends().supported(Sha256Backend::kShaNi)) return;
  Sha256Hasher a(Sha256Backend::kShaNi), b(Sha256Backend::kShaNi);
  EXPECT_TRUE(a.pairs_with(b));
  EXPECT_FALSE(a.pairs_with(a));
  EXPECT_FALSE(a.pairs_with(portable));
  EXPECT_FALSE(a.pairs_with(openssl));
  EXPECT_EQ(a.prefetch_stride(), 0u);  // the SHA-NI kernels prefetch themselves
  EXPECT_NE(portable.prefetch_stride(), 0u);
  // A pair across kinds still hashes both (one after the other).
  std::string x = random_bytes(1000, 1), y = random_bytes(1000, 2);
  a.update_pair(portable, bytes(x), bytes(y), 1000);
  EXPECT_EQ(a.finish(), oracle(x));
  EXPECT_EQ(portable.finish(), oracle(y));
}

TEST(Sha256, BackendNamesAndUnsupportedBackendsAreRefused) {
  for (auto b : {Sha256Backend::kOpenSsl, Sha256Backend::kPortable, Sha256Backend::kShaNi}) {
    EXPECT_EQ(hash::sha256_backends().parse(to_string(b)), b);
  }
  EXPECT_FALSE(hash::sha256_backends().parse("sha-ni").has_value());
  EXPECT_THROW(Sha256Hasher{Sha256Backend::kOpenSsl}, Error);
}

TEST(Sha256Cli, EveryBackendGivesTheSameSignedDigestAndBadNamesFail) {
  TempDir dir;
  write_file(dir / "model/a.bin", random_bytes((3u << 20) + 17, 3));
  write_file(dir / "model/b.bin", random_bytes(5000, 4));
  write_file(dir / "model/c.bin", random_bytes((1u << 20) + 1, 5));
  std::vector<std::string> args = {"digest", (dir / "model").string()};
  CommandResult reference = run_cli(args, {"MS_SHA256_BACKEND=openssl"});
  ASSERT_EQ(reference.exit_code, 0) << reference.err;
  std::vector<std::string> names = {"portable"};
  if (hash::sha256_backends().supported(Sha256Backend::kShaNi)) names.push_back("shani");
  for (const std::string& name : names) {
    for (const char* workers : {"1", "2"}) {
      std::vector<std::string> a = args;
      a.insert(a.end(), {"--max-workers", workers});
      CommandResult r = run_cli(a, {"MS_SHA256_BACKEND=" + name});
      ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
      EXPECT_EQ(r.out, reference.out) << name << " workers " << workers;
    }
  }
  CommandResult bad = run_cli(args, {"MS_SHA256_BACKEND=sha-ni"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("MS_SHA256_BACKEND=sha-ni"), std::string::npos) << bad.err;
  if (!hash::sha256_backends().supported(Sha256Backend::kShaNi)) {
    CommandResult unsupported = run_cli(args, {"MS_SHA256_BACKEND=shani"});
    EXPECT_EQ(unsupported.exit_code, 1);
    EXPECT_NE(unsupported.err.find("cannot run"), std::string::npos) << unsupported.err;
  }
}

}  // namespace
}  // namespace model_signing::testing
