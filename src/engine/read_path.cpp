#include "engine/read_path.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "model_signing/error.h"
#include "util/encoding.h"

namespace model_signing::engine {

std::string_view to_string(ReadPath path) {
  switch (path) {
    case ReadPath::kPread:
      return "pread";
    case ReadPath::kMap:
      return "mmap";
    case ReadPath::kMapPopulate:
      return "mmap-populate";
  }
  return "unknown";
}

std::optional<ReadStrategy> parse_read_strategy(std::string_view name) {
  if (name == "auto") return ReadStrategy{};
  for (ReadPath path : kAllReadPaths) {
    if (name == to_string(path)) return ReadStrategy{path};
  }
  return std::nullopt;
}

ReadStrategy read_strategy_from_environment() {
  const char* value = std::getenv("MS_READ_STRATEGY");
  if (value == nullptr || *value == '\0') return ReadStrategy{};
  if (auto strategy = parse_read_strategy(value)) return *strategy;
  throw Error(ErrorKind::kInvalidArgument,
              "MS_READ_STRATEGY=" + util::printable(value) +
                  ": unknown read strategy (expected auto, pread, mmap or mmap-populate)");
}

double ReadPathChooser::Samples::recent_median(unsigned count) const {
  std::size_t n = std::min<std::size_t>(count, rates.size());
  if (n == 0) return 0;
  std::vector<double> recent(rates.end() - static_cast<std::ptrdiff_t>(n), rates.end());
  std::sort(recent.begin(), recent.end());
  return n % 2 == 1 ? recent[n / 2] : (recent[n / 2 - 1] + recent[n / 2]) / 2;
}

ReadPathChooser::ReadPathChooser(Tuning tuning) : tuning_(tuning) {
  tuning_.samples = std::max(1u, tuning_.samples);
  tuning_.recheck_samples = std::max(1u, tuning_.recheck_samples);
  for (Samples& s : samples_) s.wanted = tuning_.samples;
}

ReadPathChooser::ReadPathChooser(ReadPath path) : measuring_(false), chosen_(path) {}

bool ReadPathChooser::rechecking() const {
  return std::any_of(samples_.begin(), samples_.end(), [](const Samples& s) { return s.wanted > 0; });
}

ReadPath ReadPathChooser::next(std::optional<ReadPath> previous, bool previous_timed) {
  std::lock_guard lock(mutex_);
  if (!measuring_) return *chosen_;
  // A caller keeps its path while that path is still being measured (a
  // switch may cost a step that cannot be timed), and gets another step of
  // a path whose last step went untimed.
  if (previous) {
    Samples& mine = of(*previous);
    if (mine.wanted > mine.pending || (!previous_timed && mine.wanted > 0)) {
      ++mine.pending;
      return *previous;
    }
  }
  if (chosen_ && !rechecking() && (recheck_due_ || since_recheck_ >= tuning_.recheck_bytes)) {
    for (ReadPath p : kAllReadPaths) {
      if (p != *chosen_) of(p).wanted = tuning_.recheck_samples;
    }
    recheck_due_ = false;
    since_recheck_ = 0;
  }
  // The path that still wants the most timed steps not already handed out;
  // on a tie the caller's own path (no switch), else the first.
  std::optional<ReadPath> best;
  unsigned best_need = 0;
  for (ReadPath p : kAllReadPaths) {
    const Samples& s = of(p);
    unsigned need = s.wanted > s.pending ? s.wanted - s.pending : 0;
    if (need > best_need || (need == best_need && need > 0 && p == previous)) {
      best = p;
      best_need = need;
    }
  }
  if (!best) {
    // Every wanted step is handed out: the chosen path, or while nothing is
    // chosen yet, the caller's own.
    if (chosen_) return *chosen_;
    best = previous.value_or(ReadPath::kPread);
  }
  ++of(*best).pending;
  return *best;
}

void ReadPathChooser::record(ReadPath path, std::uint64_t bytes, std::uint64_t nanoseconds,
                             bool timed) {
  std::lock_guard lock(mutex_);
  if (!measuring_) return;
  Samples& s = of(path);
  if (s.pending > 0) --s.pending;
  if (chosen_ && path == *chosen_) since_recheck_ += bytes;
  if (!timed || bytes == 0 || nanoseconds == 0) return;
  double rate = static_cast<double>(bytes) / static_cast<double>(nanoseconds);
  s.rates.push_back(rate);
  const std::size_t keep = std::max(tuning_.samples, tuning_.recheck_samples);
  if (s.rates.size() > keep) s.rates.erase(s.rates.begin());
  // The chosen path slowed down (not one slow step: the median of the
  // latest): check the others again soon.
  if (chosen_ && path == *chosen_ && !rechecking() && since_recheck_ >= tuning_.slump_guard_bytes &&
      s.recent_median(tuning_.samples) < tuning_.slump * reference_) {
    recheck_due_ = true;
  }
  if (s.wanted == 0) return;
  --s.wanted;
  if (!rechecking()) decide();
}

void ReadPathChooser::decide() {
  if (!chosen_) {
    // The first choice: the best median of all.
    ReadPath best = ReadPath::kPread;
    for (ReadPath p : kAllReadPaths) {
      if (of(p).recent_median(tuning_.samples) > of(best).recent_median(tuning_.samples)) best = p;
    }
    chosen_ = best;
    since_recheck_ = 0;
    reference_ = of(best).recent_median(tuning_.samples);
    return;
  }
  // A re-check: another path takes over only if clearly better than the
  // chosen one is now.
  ReadPath best = *chosen_;
  double best_rate = of(best).recent_median(tuning_.samples) * (1.0 + tuning_.margin);
  for (ReadPath p : kAllReadPaths) {
    if (p == *chosen_) continue;
    double rate = of(p).recent_median(tuning_.recheck_samples);
    if (rate > best_rate) {
      best = p;
      best_rate = rate;
    }
  }
  if (best != *chosen_) since_recheck_ = 0;
  reference_ = best == *chosen_ ? of(best).recent_median(tuning_.samples) : best_rate;
  chosen_ = best;
}

bool ReadPathChooser::measuring_now() const {
  if (!measuring_) return false;
  std::lock_guard lock(mutex_);
  return rechecking();
}

std::optional<ReadPath> ReadPathChooser::chosen() const {
  std::lock_guard lock(mutex_);
  return chosen_;
}

}  // namespace model_signing::engine
