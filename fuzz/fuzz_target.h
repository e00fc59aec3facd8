// One fuzz target per parser or verifier entry point, written once and built
// two ways:
//   - with clang and libFuzzer (MS_FUZZ=ON, fuzz/CMakeLists.txt), where
//     MS_FUZZ_TARGET(name) is the program's LLVMFuzzerTestOneInput;
//   - into the normal test suite (gcc), where it registers the target by
//     name so that tests/fuzz/ replays every seed and every saved crash
//     input through it.
//
// A target calls the entry point through fuzz::run(), which lets a
// model_signing::Error through (the input was rejected, as it should be)
// after checking its message is one bounded, escaped line, and treats any
// other exception as the bug it is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

namespace model_signing::fuzz {

using TargetFn = void (*)(std::string_view input);

struct Target {
  std::string name;
  TargetFn fn;
};

// Registers a target (the test build); returns true.
bool register_target(const char* name, TargetFn fn);
const std::vector<Target>& registered_targets();

// Runs `fn`; returns false if it threw a model_signing::Error (whose
// message must be one escaped line of at most 1024 bytes, or this aborts).
bool run(const std::function<void()>& fn);

// Aborts with `what` when `condition` is false: an invariant of the code
// under test that an input broke.
void check(bool condition, const char* what);

}  // namespace model_signing::fuzz

#if defined(MS_LIBFUZZER)
#define MS_FUZZ_TARGET(name)                                                                 \
  static void ms_fuzz_one_##name(std::string_view input);                                    \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {         \
    ms_fuzz_one_##name(std::string_view(reinterpret_cast<const char*>(data), size));        \
    return 0;                                                                                \
  }                                                                                          \
  static void ms_fuzz_one_##name(std::string_view input)
#else
#define MS_FUZZ_TARGET(name)                                                                 \
  static void ms_fuzz_one_##name(std::string_view input);                                    \
  [[maybe_unused]] static const bool ms_fuzz_registered_##name =                             \
      ::model_signing::fuzz::register_target(#name, &ms_fuzz_one_##name);                    \
  static void ms_fuzz_one_##name(std::string_view input)
#endif
