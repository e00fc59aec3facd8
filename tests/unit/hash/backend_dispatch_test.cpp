// The backend chooser every hash uses (hash/backend_dispatch.h), on a made-up
// hash: the override variable, CPU support, the automatic choice by
// preference, and the process-wide choice made once.
#include <gtest/gtest.h>
#include <stdlib.h>

#include "hash/backend_dispatch.h"
#include "hash/blake2b/blake2b_hasher.h"
#include "hash/blake3/backend.h"
#include "hash/sha256/sha256_hasher.h"
#include "model_signing/error.h"

namespace model_signing::testing {
namespace {

using hash::BackendDispatch;
using hash::CpuFeatures;

enum class Toy { kLibrary, kPlain, kWide, kWider };

const BackendDispatch<Toy, 4>& toy(const char* variable = "MS_TOY_BACKEND") {
  static const BackendDispatch<Toy, 4> d("Toy", variable,
                                         {{{Toy::kLibrary, {"library", nullptr, 1}},
                                           {Toy::kPlain, {"plain", nullptr, 0}},
                                           {Toy::kWide, {"wide", &CpuFeatures::avx2, 2}},
                                           {Toy::kWider, {"wider", &CpuFeatures::avx512, 3}}}});
  return d;
}

std::pair<ErrorKind, std::string> error_of(const char* forced, const CpuFeatures& cpu) {
  try {
    toy().choose(forced, cpu);
  } catch (const Error& e) {
    return {e.kind(), e.what()};
  }
  ADD_FAILURE() << forced << " was accepted";
  return {};
}

TEST(BackendDispatch, AutomaticChoiceIsTheMostPreferredTheCpuRuns) {
  CpuFeatures none, avx2, avx512;
  avx2.avx2 = true;
  avx512.avx2 = avx512.avx512 = true;
  EXPECT_EQ(toy().choose(nullptr, none), Toy::kLibrary);  // never the preference-0 one
  EXPECT_EQ(toy().choose("", avx2), Toy::kWide);
  EXPECT_EQ(toy().choose(nullptr, avx512), Toy::kWider);
  CpuFeatures odd;  // AVX-512 without AVX2 would still pick the best it runs
  odd.avx512 = true;
  EXPECT_EQ(toy().choose(nullptr, odd), Toy::kWider);
}

TEST(BackendDispatch, OverrideNamesAnyBackendTheCpuRuns) {
  CpuFeatures avx2;
  avx2.avx2 = true;
  EXPECT_EQ(toy().choose("plain", avx2), Toy::kPlain);
  EXPECT_EQ(toy().choose("library", avx2), Toy::kLibrary);
  EXPECT_EQ(toy().choose("wide", avx2), Toy::kWide);
  auto [kind, message] = error_of("wider", avx2);
  EXPECT_EQ(kind, ErrorKind::kUnsupported);
  EXPECT_EQ(message, "MS_TOY_BACKEND=wider: this CPU cannot run that backend");
  std::tie(kind, message) = error_of("Wide", avx2);
  EXPECT_EQ(kind, ErrorKind::kInvalidArgument);
  EXPECT_EQ(message, "MS_TOY_BACKEND=Wide: unknown Toy backend (expected library, plain, wide or wider)");
}

TEST(BackendDispatch, NamesParseAndSupport) {
  for (Toy t : toy().all()) EXPECT_EQ(toy().parse(toy().name(t)), t);
  EXPECT_FALSE(toy().parse("").has_value());
  EXPECT_FALSE(toy().parse("WIDE").has_value());
  CpuFeatures none;
  EXPECT_TRUE(toy().runs_on(Toy::kPlain, none));
  EXPECT_FALSE(toy().runs_on(Toy::kWide, none));
  EXPECT_EQ(toy().variable(), "MS_TOY_BACKEND");
}

// selected() reads the variable once and keeps the answer, or the error,
// for the rest of the process.
TEST(BackendDispatch, SelectedIsDecidedOnceFromTheEnvironment) {
  static const BackendDispatch<Toy, 4> good("Toy", "MS_TEST_DISPATCH_GOOD",
                                            {{{Toy::kLibrary, {"library", nullptr, 1}},
                                              {Toy::kPlain, {"plain", nullptr, 0}},
                                              {Toy::kWide, {"wide", nullptr, 0}},
                                              {Toy::kWider, {"wider", nullptr, 0}}}});
  static const BackendDispatch<Toy, 4> bad("Toy", "MS_TEST_DISPATCH_BAD",
                                           {{{Toy::kLibrary, {"library", nullptr, 1}},
                                             {Toy::kPlain, {"plain", nullptr, 0}},
                                             {Toy::kWide, {"wide", nullptr, 0}},
                                             {Toy::kWider, {"wider", nullptr, 0}}}});
  ::setenv("MS_TEST_DISPATCH_GOOD", "plain", 1);
  ::setenv("MS_TEST_DISPATCH_BAD", "nonesuch", 1);
  EXPECT_EQ(good.selected(), Toy::kPlain);
  EXPECT_THROW(bad.selected(), Error);
  ::setenv("MS_TEST_DISPATCH_GOOD", "wider", 1);
  ::unsetenv("MS_TEST_DISPATCH_BAD");
  EXPECT_EQ(good.selected(), Toy::kPlain);
  EXPECT_THROW(bad.selected(), Error);
  ::unsetenv("MS_TEST_DISPATCH_GOOD");
}

// The real hashes' lists: their variables, and the automatic choice runs here.
TEST(BackendDispatch, EveryHashChoosesABackendThisCpuRuns) {
  EXPECT_EQ(hash::sha256_backends().variable(), "MS_SHA256_BACKEND");
  EXPECT_EQ(hash::blake2b_backends().variable(), "MS_BLAKE2B_BACKEND");
  EXPECT_EQ(hash::blake3::backends().variable(), "MS_BLAKE3_BACKEND");
  const CpuFeatures& cpu = hash::cpu_features();
  EXPECT_TRUE(hash::sha256_backends().supported(hash::sha256_backends().choose(nullptr, cpu)));
  EXPECT_TRUE(hash::blake2b_backends().supported(hash::blake2b_backends().choose(nullptr, cpu)));
  EXPECT_TRUE(hash::blake3::backends().supported(hash::blake3::backends().choose(nullptr, cpu)));
  CpuFeatures sha_ni;
  sha_ni.sse41 = sha_ni.sha_ni = true;
  EXPECT_EQ(hash::sha256_backends().choose(nullptr, CpuFeatures{}), hash::Sha256Backend::kOpenSsl);
  EXPECT_EQ(hash::sha256_backends().choose(nullptr, sha_ni), hash::Sha256Backend::kShaNi);
  EXPECT_EQ(hash::blake3::backends().choose(nullptr, CpuFeatures{}), hash::blake3::Backend::kPortable);
  EXPECT_EQ(hash::blake3::backends().choose(nullptr, sha_ni), hash::blake3::Backend::kSse41);
}

}  // namespace
}  // namespace model_signing::testing
