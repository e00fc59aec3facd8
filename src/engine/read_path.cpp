#include "engine/read_path.h"

#include <algorithm>
#include <cstdlib>
#include <iterator>
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

namespace {
// Steps handed out in one turn after which the turn ends even without its
// timed steps: a path whose steps never time (a file that cannot be mapped
// reads by pread instead) must not hold the others up.
unsigned turn_limit(unsigned samples) { return 4 * samples + 16; }
}  // namespace

ReadPathChooser::ReadPathChooser(Tuning tuning) : tuning_(tuning) {
  tuning_.samples = std::max(1u, tuning_.samples);
  tuning_.rounds = std::max(1u, tuning_.rounds);
  tuning_.recheck_samples = std::max(1u, tuning_.recheck_samples);
  timing_.assign(std::begin(kAllReadPaths), std::end(kAllReadPaths));
  rounds_left_ = tuning_.rounds - 1;
}

ReadPathChooser::ReadPathChooser(ReadPath path) : measuring_(false), chosen_(path) {}

double ReadPathChooser::median(ReadPath path, std::size_t count) const {
  const std::vector<double>& rates = rates_[index(path)];
  std::size_t n = std::min(count, rates.size());
  if (n == 0) return 0;
  std::vector<double> recent(rates.end() - static_cast<std::ptrdiff_t>(n), rates.end());
  std::sort(recent.begin(), recent.end());
  return n % 2 == 1 ? recent[n / 2] : (recent[n / 2 - 1] + recent[n / 2]) / 2;
}

ReadPath ReadPathChooser::next() {
  std::lock_guard lock(mutex_);
  if (!measuring_) return *chosen_;
  if (chosen_ && timing_.empty() && (recheck_due_ || since_recheck_ >= recheck_after_)) {
    start_recheck();
  }
  if (timing_.empty()) return *chosen_;
  if (++turn_handouts_ > turn_limit(turn_wanted())) next_turn();
  return timing_.empty() ? *chosen_ : timing_[turn_];
}

void ReadPathChooser::start_recheck() {
  timing_.clear();
  for (ReadPath p : kAllReadPaths) {
    if (p != *chosen_) timing_.push_back(p);
  }
  turn_ = 0;
  turn_samples_ = 0;
  turn_handouts_ = 0;
  rounds_left_ = 0;
  recheck_due_ = false;
  since_recheck_ = 0;
}

void ReadPathChooser::record(ReadPath path, std::uint64_t bytes, std::uint64_t nanoseconds,
                             bool timed) {
  std::lock_guard lock(mutex_);
  if (!measuring_) return;
  if (chosen_ && path == *chosen_) since_recheck_ += bytes;
  if (!timed || bytes == 0 || nanoseconds == 0) return;
  std::vector<double>& rates = rates_[index(path)];
  rates.push_back(static_cast<double>(bytes) / static_cast<double>(nanoseconds));
  const std::size_t window = choice_window();
  if (rates.size() > std::max<std::size_t>(window, tuning_.recheck_samples)) rates.erase(rates.begin());
  // The chosen path slowed down (not one slow step: the median of the
  // latest): check the others again soon.
  if (chosen_ && path == *chosen_ && timing_.empty() && since_recheck_ >= tuning_.slump_guard_bytes &&
      median(path, window) < tuning_.slump * reference_) {
    recheck_due_ = true;
  }
  // A step handed out in an earlier turn counts for its path, not the turn.
  if (timing_.empty() || path != timing_[turn_]) return;
  if (++turn_samples_ >= turn_wanted()) next_turn();
}

void ReadPathChooser::next_turn() {
  turn_samples_ = 0;
  turn_handouts_ = 0;
  if (++turn_ < timing_.size()) return;
  turn_ = 0;
  if (chosen_ || rounds_left_ == 0) {
    decide();
    return;
  }
  // The end of a round of the first choice: a path clearly slower than the
  // best drops out of the rounds left.
  const std::size_t window = choice_window();
  double best = 0;
  for (ReadPath p : timing_) best = std::max(best, median(p, window));
  std::erase_if(timing_, [&](ReadPath p) { return median(p, window) < (1.0 - tuning_.clear) * best; });
  --rounds_left_;
  if (timing_.size() <= 1) decide();
}

void ReadPathChooser::decide() {
  const std::size_t window = choice_window();
  if (!chosen_) {
    // The first choice: the best median of the paths still in. Close (the
    // runner-up within `clear`): re-checked early.
    ReadPath best = timing_.empty() ? ReadPath::kPread : timing_.front();
    for (ReadPath p : timing_) {
      if (median(p, window) > median(best, window)) best = p;
    }
    bool close = false;
    for (ReadPath p : kAllReadPaths) {
      if (p != best && median(p, window) >= (1.0 - tuning_.clear) * median(best, window)) close = true;
    }
    chosen_ = best;
    reference_ = median(best, window);
    recheck_after_ = close ? std::min(tuning_.early_recheck_bytes, tuning_.recheck_bytes)
                           : tuning_.recheck_bytes;
  } else {
    // A re-check: another path takes over only if clearly better than the
    // chosen one is now.
    ReadPath best = *chosen_;
    double best_rate = median(best, window) * (1.0 + tuning_.margin);
    for (ReadPath p : timing_) {
      double rate = median(p, tuning_.recheck_samples);
      if (rate > best_rate) {
        best = p;
        best_rate = rate;
      }
    }
    reference_ = best == *chosen_ ? median(best, window) : best_rate;
    chosen_ = best;
    recheck_after_ = tuning_.recheck_bytes;
  }
  timing_.clear();
  since_recheck_ = 0;
}

bool ReadPathChooser::measuring_now() const {
  if (!measuring_) return false;
  std::lock_guard lock(mutex_);
  return !timing_.empty();
}

std::optional<ReadPath> ReadPathChooser::chosen() const {
  std::lock_guard lock(mutex_);
  return chosen_;
}

}  // namespace model_signing::engine
