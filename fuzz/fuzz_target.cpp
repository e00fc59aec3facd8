#include "fuzz_target.h"

#include <cstdio>
#include <cstdlib>

#include "model_signing/error.h"
#include "util/encoding.h"

namespace model_signing::fuzz {

namespace {

std::vector<Target>& targets() {
  static std::vector<Target> all;
  return all;
}

}  // namespace

bool register_target(const char* name, TargetFn fn) {
  targets().push_back({name, fn});
  return true;
}

const std::vector<Target>& registered_targets() { return targets(); }

void check(bool condition, const char* what) {
  if (condition) return;
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}

bool run(const std::function<void()>& fn) {
  try {
    fn();
    return true;
  } catch (const Error& e) {
    std::string_view message = e.what();
    check(message.size() <= detail::kMaxErrorMessage, "an error message longer than the limit");
    check(!message.empty(), "an empty error message");
    check(util::printable(message) == message, "an error message with unescaped control characters");
    return false;
  }
}

}  // namespace model_signing::fuzz
