#include "hash/backend_dispatch.h"

#include <string>

#include "util/encoding.h"

namespace model_signing::hash {

namespace {

// "a, b or c"
std::string name_list(std::span<const BackendOption> options) {
  std::string out;
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (i > 0) out += i + 1 == options.size() ? " or " : ", ";
    out += options[i].name;
  }
  return out;
}

bool runs(const BackendOption& option, const CpuFeatures& cpu) {
  return option.needs == nullptr || cpu.*option.needs;
}

}  // namespace

std::optional<std::size_t> find_backend_index(std::span<const BackendOption> options,
                                              std::string_view name) {
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (options[i].name == name) return i;
  }
  return std::nullopt;
}

std::size_t choose_backend_index(std::string_view hash, std::string_view variable,
                                 std::span<const BackendOption> options, const char* forced,
                                 const CpuFeatures& cpu) {
  if (forced != nullptr && *forced != '\0') {
    std::string setting = std::string(variable) + "=" + util::printable(forced);
    auto i = find_backend_index(options, forced);
    if (!i) {
      throw Error(ErrorKind::kInvalidArgument, setting + ": unknown " + std::string(hash) +
                                                   " backend (expected " + name_list(options) + ")");
    }
    if (!runs(options[*i], cpu)) {
      throw Error(ErrorKind::kUnsupported, setting + ": this CPU cannot run that backend");
    }
    return *i;
  }
  std::optional<std::size_t> best;
  for (std::size_t i = 0; i < options.size(); ++i) {
    if (options[i].preference <= 0 || !runs(options[i], cpu)) continue;
    if (!best || options[i].preference > options[*best].preference) best = i;
  }
  if (!best) {
    throw Error(ErrorKind::kUnsupported, "no " + std::string(hash) + " backend runs on this CPU");
  }
  return *best;
}

}  // namespace model_signing::hash
