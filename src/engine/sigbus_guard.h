// Reading a file through a mapping turns a file truncated underneath into a
// SIGBUS when a vanished page is touched. run_guarded() runs a function so
// that such a fault, inside the mapped ranges it is given, ends the function
// and is reported instead of killing the process. SIGBUS from anywhere else
// goes to whatever handler was installed before ours (or the default
// action), so the guard changes nothing for the rest of the program.
#pragma once

#include <cstddef>
#include <cstdint>

namespace model_signing::engine {

struct MappedRange {
  const std::uint8_t* begin;
  const std::uint8_t* end;
};

// Calls fn(arg). Returns -1 when it returns normally, or the index of the
// range it faulted in; exceptions from fn propagate. `fn` must not hold
// resources that need releasing when it is cut short (it is left with
// siglongjmp): hashing bytes is fine, allocating is not.
int run_guarded(const MappedRange* ranges, std::size_t count, void (*fn)(void*), void* arg);

template <class F>
int run_guarded(const MappedRange* ranges, std::size_t count, F& f) {
  return run_guarded(ranges, count, [](void* p) { (*static_cast<F*>(p))(); }, &f);
}

}  // namespace model_signing::engine
