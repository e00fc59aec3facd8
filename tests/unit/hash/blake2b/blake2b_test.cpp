// Our BLAKE2b-512 (portable, AVX2 and AVX-512 kernels, one input or two
// interleaved) against OpenSSL's one-shot EVP_blake2b512: every block
// boundary, random update splits, pairs of hashers at different offsets and
// buffer fill levels, reuse after reset; the backend choice and
// MS_BLAKE2B_BACKEND, directly and through the CLI.
#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <algorithm>
#include <random>
#include <vector>

#include "hash/blake2b/blake2b_hasher.h"
#include "hash/evp_hasher.h"
#include "model_signing/error.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

using hash::Blake2bBackend;
using hash::Blake2bHasher;

Digest oracle(const std::uint8_t* data, std::size_t size) {
  Digest out(64);
  unsigned int len = 0;
  EXPECT_EQ(EVP_Digest(data, size, out.data(), &len, EVP_blake2b512(), nullptr), 1);
  EXPECT_EQ(len, 64u);
  return out;
}

std::vector<std::uint8_t> random_bytes(std::size_t size, unsigned seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> out(size);
  for (auto& c : out) c = static_cast<std::uint8_t>(rng());
  return out;
}

Digest oracle(const std::vector<std::uint8_t>& data) { return oracle(data.data(), data.size()); }

// The backends of our own this CPU runs.
std::vector<Blake2bBackend> own_backends() {
  std::vector<Blake2bBackend> out;
  for (auto b : {Blake2bBackend::kPortable, Blake2bBackend::kAvx2, Blake2bBackend::kAvx512}) {
    if (hash::blake2b_backends().supported(b)) out.push_back(b);
  }
  return out;
}

std::string name_of(Blake2bBackend b) { return std::string(to_string(b)); }

const std::vector<std::size_t> kLengths = {0,   1,   127, 128,  129,   255,  256,
                                           257, 383, 384, 1000, 65536, (1u << 20) + 3};

TEST(Blake2b, KnownAnswerForAbc) {
  // RFC 7693, appendix A.
  const std::uint8_t abc[] = {'a', 'b', 'c'};
  const std::uint8_t expected[64] = {
      0xBA, 0x80, 0xA5, 0x3F, 0x98, 0x1C, 0x4D, 0x0D, 0x6A, 0x27, 0x97, 0xB6, 0x9F,
      0x12, 0xF6, 0xE9, 0x4C, 0x21, 0x2F, 0x14, 0x68, 0x5A, 0xC4, 0xB7, 0x4B, 0x12,
      0xBB, 0x6F, 0xDB, 0xFF, 0xA2, 0xD1, 0x7D, 0x87, 0xC5, 0x39, 0x2A, 0xAB, 0x79,
      0x2D, 0xC2, 0x52, 0xD5, 0xDE, 0x45, 0x33, 0xCC, 0x95, 0x18, 0xD3, 0x8A, 0xA8,
      0xDB, 0xF1, 0x92, 0x5A, 0xB9, 0x23, 0x86, 0xED, 0xD4, 0x00, 0x99, 0x23};
  for (Blake2bBackend backend : own_backends()) {
    Blake2bHasher h(backend);
    h.update(abc, 3);
    EXPECT_EQ(h.finish(), Digest(expected, expected + 64)) << name_of(backend);
  }
}

TEST(Blake2b, EveryBackendMatchesOpenSslAtEveryBoundary) {
  for (Blake2bBackend backend : own_backends()) {
    for (std::size_t n : kLengths) {
      SCOPED_TRACE(name_of(backend) + " length " + std::to_string(n));
      auto data = random_bytes(n, static_cast<unsigned>(n));
      Blake2bHasher whole(backend);
      whole.update(data.data(), data.size());
      EXPECT_EQ(whole.finish(), oracle(data));
      // The same input at an odd address.
      std::vector<std::uint8_t> shifted(n + 1);
      std::copy(data.begin(), data.end(), shifted.begin() + 1);
      Blake2bHasher odd(backend);
      odd.update(shifted.data() + 1, n);
      EXPECT_EQ(odd.finish(), oracle(data));
    }
  }
}

TEST(Blake2b, RandomUpdateSplitsAndReuseAfterReset) {
  std::mt19937 rng(7);
  for (Blake2bBackend backend : own_backends()) {
    Blake2bHasher h(backend);
    for (std::size_t n : kLengths) {
      auto data = random_bytes(n, static_cast<unsigned>(n) + 99);
      for (int round = 0; round < 4; ++round) {
        SCOPED_TRACE(name_of(backend) + " length " + std::to_string(n) + " round " +
                     std::to_string(round));
        // Pieces up to a few blocks, often exactly on block boundaries, and
        // empty ones.
        std::size_t at = 0;
        while (at < n) {
          std::size_t piece = rng() % 3 == 0 ? 128 * (rng() % 4) : rng() % 700;
          piece = std::min(n - at, piece);
          h.update(data.data() + at, piece);
          at += piece;
        }
        EXPECT_EQ(h.finish(), oracle(data));
        h.reset();
      }
    }
    // Reset in the middle of an input starts afresh.
    auto data = random_bytes(1000, 5);
    h.update(data.data(), 300);
    h.reset();
    h.update(data.data(), data.size());
    EXPECT_EQ(h.finish(), oracle(data)) << name_of(backend);
  }
}

TEST(Blake2b, PairedUpdatesMatchOpenSslAtAnyOffsets) {
  for (Blake2bBackend backend : own_backends()) {
    // Two hashers already holding different amounts (nothing, partial
    // blocks, a whole pending block, more), then fed equal-sized pieces
    // together, then different tails on their own.
    for (std::size_t head_a : {0u, 1u, 127u, 128u, 129u, 300u}) {
      for (std::size_t head_b : {0u, 5u, 128u, 255u, 256u}) {
        for (std::size_t size : {0u, 1u, 127u, 128u, 129u, 256u, 4103u, 70000u}) {
          for (std::size_t tail : {0u, 3u}) {
            SCOPED_TRACE(name_of(backend) + " heads " + std::to_string(head_a) + "/" +
                         std::to_string(head_b) + " size " + std::to_string(size) + " tail " +
                         std::to_string(tail));
            auto a =
                random_bytes(head_a + 2 * size + tail, static_cast<unsigned>(head_a * 7 + size));
            auto b = random_bytes(head_b + 2 * size, static_cast<unsigned>(head_b * 11 + size + 1));
            Blake2bHasher ha(backend), hb(backend);
            ha.update(a.data(), head_a);
            hb.update(b.data(), head_b);
            ha.update_pair(hb, a.data() + head_a, b.data() + head_b, size);
            hb.update_pair(ha, b.data() + head_b + size, a.data() + head_a + size, size);
            ha.update(a.data() + head_a + 2 * size, tail);
            EXPECT_EQ(ha.finish(), oracle(a));
            EXPECT_EQ(hb.finish(), oracle(b));
          }
        }
      }
    }
  }
}

TEST(Blake2b, LongPairedRunsWithRandomPiecesAndReuse) {
  std::mt19937 rng(3);
  for (Blake2bBackend backend : own_backends()) {
    Blake2bHasher ha(backend), hb(backend);
    for (int round = 0; round < 6; ++round) {
      SCOPED_TRACE(name_of(backend) + " round " + std::to_string(round));
      std::size_t head_a = rng() % 400, head_b = rng() % 400;
      std::size_t paired = (1u << 20) + rng() % 1000;
      auto a = random_bytes(head_a + paired, 100 + round);
      auto b = random_bytes(head_b + paired, 200 + round);
      ha.update(a.data(), head_a);
      hb.update(b.data(), head_b);
      std::size_t at = 0;
      while (at < paired) {
        std::size_t piece = std::min<std::size_t>(paired - at, rng() % 50000);
        ha.update_pair(hb, a.data() + head_a + at, b.data() + head_b + at, piece);
        at += piece;
      }
      EXPECT_EQ(ha.finish(), oracle(a));
      EXPECT_EQ(hb.finish(), oracle(b));
      ha.reset();
      hb.reset();
    }
  }
}

TEST(Blake2b, OnlySimdHashersPairAndNeverWithThemselves) {
  Blake2bHasher portable(Blake2bBackend::kPortable);
  Blake2bHasher portable2(Blake2bBackend::kPortable);
  hash::EvpHasher openssl("BLAKE2B-512");
  EXPECT_FALSE(portable.pairs_with(portable2));
  EXPECT_FALSE(openssl.pairs_with(portable));
  EXPECT_NE(portable.prefetch_stride(), 0u);
  for (Blake2bBackend backend : own_backends()) {
    if (backend == Blake2bBackend::kPortable) continue;
    SCOPED_TRACE(name_of(backend));
    Blake2bHasher a(backend), b(backend);
    EXPECT_TRUE(a.pairs_with(b));
    EXPECT_FALSE(a.pairs_with(a));
    EXPECT_FALSE(a.pairs_with(portable));
    EXPECT_FALSE(a.pairs_with(openssl));
    EXPECT_EQ(a.prefetch_stride(), 0u);  // the SIMD kernels prefetch themselves
    // A pair across kinds still hashes both (one after the other).
    auto x = random_bytes(1000, 1), y = random_bytes(1000, 2);
    a.update_pair(portable, x.data(), y.data(), 1000);
    EXPECT_EQ(a.finish(), oracle(x));
    EXPECT_EQ(portable.finish(), oracle(y));
    portable.reset();
  }
  if (hash::blake2b_backends().supported(Blake2bBackend::kAvx2) &&
      hash::blake2b_backends().supported(Blake2bBackend::kAvx512)) {
    Blake2bHasher a(Blake2bBackend::kAvx2), b(Blake2bBackend::kAvx512);
    EXPECT_FALSE(a.pairs_with(b));
  }
}

TEST(Blake2bBackend, NamesRoundTripAndOpenSslIsNoHasherOfOurs) {
  for (auto b : {Blake2bBackend::kOpenSsl, Blake2bBackend::kPortable, Blake2bBackend::kAvx2,
                 Blake2bBackend::kAvx512}) {
    EXPECT_EQ(hash::blake2b_backends().parse(to_string(b)), b);
  }
  EXPECT_FALSE(hash::blake2b_backends().parse("avx-512").has_value());
  EXPECT_FALSE(hash::blake2b_backends().parse("").has_value());
  EXPECT_THROW(Blake2bHasher{Blake2bBackend::kOpenSsl}, Error);
  for (auto b : {Blake2bBackend::kAvx2, Blake2bBackend::kAvx512}) {
    if (!hash::blake2b_backends().supported(b)) {
      EXPECT_THROW(Blake2bHasher{b}, Error);
    }
  }
}

// The automatic choice and the override, on CPUs with and without the
// SIMD extensions.
TEST(Blake2bBackend, ChoiceFollowsTheCpuAndTheOverride) {
  hash::CpuFeatures none, avx2, avx512;
  avx2.avx2 = avx512.avx2 = avx512.avx512 = true;
  EXPECT_EQ(hash::blake2b_backends().choose(nullptr, none), Blake2bBackend::kOpenSsl);
  EXPECT_EQ(hash::blake2b_backends().choose("", avx2), Blake2bBackend::kAvx2);
  EXPECT_EQ(hash::blake2b_backends().choose(nullptr, avx512), Blake2bBackend::kAvx512);
  EXPECT_EQ(hash::blake2b_backends().choose("portable", avx512), Blake2bBackend::kPortable);
  EXPECT_EQ(hash::blake2b_backends().choose("openssl", avx512), Blake2bBackend::kOpenSsl);
  EXPECT_EQ(hash::blake2b_backends().choose("avx2", avx512), Blake2bBackend::kAvx2);
  EXPECT_EQ(hash::blake2b_backends().choose("portable", none), Blake2bBackend::kPortable);

  auto message_of = [](const char* forced, const hash::CpuFeatures& cpu, ErrorKind kind) {
    try {
      hash::blake2b_backends().choose(forced, cpu);
    } catch (const Error& e) {
      EXPECT_EQ(e.kind(), kind) << e.what();
      return std::string(e.what());
    }
    ADD_FAILURE() << forced << " was accepted";
    return std::string();
  };
  std::string unsupported = message_of("avx512", avx2, ErrorKind::kUnsupported);
  EXPECT_NE(unsupported.find("MS_BLAKE2B_BACKEND=avx512"), std::string::npos) << unsupported;
  EXPECT_NE(unsupported.find("this CPU cannot run"), std::string::npos) << unsupported;
  EXPECT_NE(message_of("avx2", none, ErrorKind::kUnsupported).find("cannot run"),
            std::string::npos);
  std::string unknown = message_of("sse4", avx512, ErrorKind::kInvalidArgument);
  EXPECT_NE(unknown.find("MS_BLAKE2B_BACKEND=sse4"), std::string::npos) << unknown;
  EXPECT_NE(unknown.find("expected openssl, portable, avx2 or avx512"), std::string::npos);
  // This process's own choice runs here.
  if (std::getenv("MS_BLAKE2B_BACKEND") == nullptr) {
    Blake2bBackend selected = hash::blake2b_backends().selected();
    EXPECT_TRUE(hash::blake2b_backends().supported(selected));
    EXPECT_EQ(selected, hash::blake2b_backends().choose(nullptr, hash::cpu_features()));
  }
}

TEST(Blake2bCli, EveryBackendGivesTheSameDigestAndBadOverridesFail) {
  TempDir dir;
  auto write = [&](const std::string& name, std::size_t size, unsigned seed) {
    auto data = random_bytes(size, seed);
    write_file(dir / name, std::string(data.begin(), data.end()));
  };
  write("model/a.bin", (3u << 20) + 17, 3);
  write("model/b.bin", 5000, 4);
  write("model/c.bin", (1u << 20) + 1, 5);
  write("model/d.bin", 128, 6);
  write("model/e.bin", 0, 7);
  std::vector<std::string> args = {"digest", "--hash", "blake2b", (dir / "model").string()};
  CommandResult reference = run_cli(args, {"MS_BLAKE2B_BACKEND=openssl"});
  ASSERT_EQ(reference.exit_code, 0) << reference.err;
  std::vector<std::string> names;
  for (Blake2bBackend b : own_backends()) names.push_back(name_of(b));
  names.push_back("");  // the automatic choice
  for (const std::string& name : names) {
    for (const char* workers : {"1", "2"}) {
      std::vector<std::string> a = args;
      a.insert(a.end(), {"--max-workers", workers});
      CommandResult r = run_cli(a, {"MS_BLAKE2B_BACKEND=" + name});
      ASSERT_EQ(r.exit_code, 0) << name << ": " << r.err;
      EXPECT_EQ(r.out, reference.out) << name << " workers " << workers;
    }
  }
  CommandResult bad = run_cli(args, {"MS_BLAKE2B_BACKEND=avx-512"});
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("MS_BLAKE2B_BACKEND=avx-512"), std::string::npos) << bad.err;
  for (auto b : {Blake2bBackend::kAvx2, Blake2bBackend::kAvx512}) {
    if (hash::blake2b_backends().supported(b)) continue;
    CommandResult unsupported = run_cli(args, {"MS_BLAKE2B_BACKEND=" + name_of(b)});
    EXPECT_EQ(unsupported.exit_code, 1);
    EXPECT_NE(unsupported.err.find("cannot run"), std::string::npos) << unsupported.err;
  }
}

}  // namespace
}  // namespace model_signing::testing
