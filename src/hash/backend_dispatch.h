// Choosing the implementation (backend) a hash runs on: the one place that
// reads a hash's override variable (MS_SHA256_BACKEND, MS_BLAKE2B_BACKEND,
// MS_BLAKE3_BACKEND), checks what the CPU can run, and picks the best
// backend it can. A hash lists its backends once, in a BackendDispatch;
// names, parsing, support checks and the process-wide choice all come from
// that list.
#pragma once

#include <array>
#include <cstddef>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <cstdlib>
#include <string_view>

#include "hash/cpu_features.h"
#include "model_signing/error.h"
#include "util/log.h"

namespace model_signing::hash {

// One backend of a hash, untyped (BackendDispatch adds the enum).
struct BackendOption {
  std::string_view name;                    // as written in the override variable
  bool CpuFeatures::*needs;  // the feature it needs; null: runs everywhere
  // Rank in the automatic choice: the supported option with the highest
  // wins; 0 never wins it (kept for tests and the override).
  int preference;
};

// The index of the backend chosen for override value `forced` on `cpu`:
// the named backend if `forced` is set and not empty, else the supported
// option with the highest preference. Throws Error(kInvalidArgument)
// naming `variable` for an unknown name, and Error(kUnsupported) for a
// backend `cpu` cannot run.
std::size_t choose_backend_index(std::string_view hash, std::string_view variable,
                                 std::span<const BackendOption> options, const char* forced,
                                 const CpuFeatures& cpu);

std::optional<std::size_t> find_backend_index(std::span<const BackendOption> options,
                                              std::string_view name);

// The backends of one hash, listed once. `Backend` is the hash's enum; its
// values are listed in the order the override's error message names them.
template <class Backend, std::size_t N>
class BackendDispatch {
 public:
  struct Entry {
    Backend backend;
    BackendOption option;
  };

  // `hash` names the hash in messages ("SHA-256"); `variable` is its
  // override variable.
  BackendDispatch(std::string_view hash, const char* variable,
                            std::array<Entry, N> entries)
      : hash_(hash), variable_(variable), entries_(entries) {
    for (std::size_t i = 0; i < N; ++i) options_[i] = entries[i].option;
  }

  std::string_view variable() const { return variable_; }
  std::string_view name(Backend backend) const { return options_[index(backend)].name; }
  std::optional<Backend> parse(std::string_view name) const {
    auto i = find_backend_index(options_, name);
    return i ? std::optional<Backend>(entries_[*i].backend) : std::nullopt;
  }
  // Every backend, in the listed order.
  std::array<Backend, N> all() const {
    std::array<Backend, N> out;
    for (std::size_t i = 0; i < N; ++i) out[i] = entries_[i].backend;
    return out;
  }
  bool runs_on(Backend backend, const CpuFeatures& cpu) const {
    const BackendOption& o = options_[index(backend)];
    return o.needs == nullptr || cpu.*o.needs;
  }
  bool supported(Backend backend) const { return runs_on(backend, cpu_features()); }

  // The choice for override value `forced` on `cpu` (see choose_backend_index).
  Backend choose(const char* forced, const CpuFeatures& cpu) const {
    return entries_[choose_backend_index(hash_, variable_, options_, forced, cpu)].backend;
  }
  // choose() for this process's variable and CPU, made once; a bad variable
  // is the same error on every call.
  Backend selected() const {
    std::call_once(once_, [this] {
      try {
        const char* forced = std::getenv(variable_);
        selected_ = choose(forced, cpu_features());
        util::log(LogLevel::kInfo, std::string(hash_) + " runs on the " +
                                       std::string(name(*selected_)) + " backend" +
                                       (forced && *forced ? " (set by " + std::string(variable_) + ")"
                                                          : ""));
      } catch (const Error& e) {
        error_ = e;
      }
    });
    if (error_) throw *error_;
    return *selected_;
  }

 private:
  std::size_t index(Backend backend) const {
    for (std::size_t i = 0; i < N; ++i) {
      if (entries_[i].backend == backend) return i;
    }
    return 0;
  }

  std::string_view hash_;
  const char* variable_;
  std::array<Entry, N> entries_;
  std::array<BackendOption, N> options_{};
  mutable std::once_flag once_;
  mutable std::optional<Backend> selected_;
  mutable std::optional<Error> error_;
};

}  // namespace model_signing::hash
