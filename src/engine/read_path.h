// Which way the engine reads a large stream, decided by measurement on the
// running machine rather than by a rule.
//
// Three read paths: pread() into a reused buffer (a copy out of the page
// cache); mapped windows hashed in place, their pages mapped as the hash
// touches them (the kernel maps 64 KiB around each fault); or mapped windows
// whose page tables are set up in one go first (MAP_POPULATE). Which is
// fastest depends on the CPU, the hypervisor and how the page cache holds
// the file (4 KiB pages just after a write, large folios after a
// read-ahead): on one 2-core Intel VM populated mappings won by 20% over
// pread; on a 2-core AMD EPYC VM pread won by 25-60% on one day, and on
// another, mappings faulted in won by 5-10% over populated ones, which won
// over pread. Where a core has nothing to hash and reads ahead of one that
// has (a lone stream), pread means that core pread()s the bytes into a ring
// of buffers the hasher then hashes from cache; the mapped paths, that the
// hasher maps its windows and the other core touches their pages first.
//
// A ReadPathChooser times the steps the engine hashes anyway (each step's
// bytes are hashed once, whichever path reads them, so digests never depend
// on the choice). It times the paths in turns: every caller (every worker
// of the context) takes the same path until that path has its timed steps
// for the turn, then the next path, so that each path is timed under the
// same load (two workers of a shards run, one timing populated mappings
// while the other preads, measure neither). Turns go round up to `rounds`
// times, so that a drift in the machine spreads over every path; after each
// round a path clearly slower than the best drops out, which keeps the cost
// low where the choice is clear. It then takes the fastest, re-checks the
// others now and then (soon after the first choice where that was close),
// and soon when the path in use slows down far below what it did (a file
// that is not in the page cache, a file the page cache holds differently).
// Exploration is bounded so that it costs well under 1% of a large run.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string_view>
#include <vector>

namespace model_signing::engine {

enum class ReadPath { kPread, kMap, kMapPopulate };
inline constexpr std::size_t kReadPaths = 3;
inline constexpr ReadPath kAllReadPaths[kReadPaths] = {ReadPath::kPread, ReadPath::kMap,
                                                       ReadPath::kMapPopulate};

// "pread", "mmap", "mmap-populate".
std::string_view to_string(ReadPath path);

// What MS_READ_STRATEGY (or EngineOptions::read_strategy) asks for: a
// choice by measurement, or one path.
struct ReadStrategy {
  std::optional<ReadPath> fixed;  // nullopt: auto
  bool operator==(const ReadStrategy&) const = default;
};

// "auto" or a path's name; nullopt for anything else.
std::optional<ReadStrategy> parse_read_strategy(std::string_view name);
// MS_READ_STRATEGY if set and not empty, else auto. Throws
// Error(kInvalidArgument) naming the variable for an unknown value.
ReadStrategy read_strategy_from_environment();

class ReadPathChooser {
 public:
  struct Tuning {
    // Timed steps of a path in each of its turns, and the rounds of turns
    // (every path still in, once each) before the first choice. A path
    // whose median rate falls `clear` below the best's after a round drops
    // out of the rounds left; the first choice compares the medians of each
    // path's timed steps over all its turns.
    unsigned samples = 2;
    unsigned rounds = 3;
    double clear = 0.15;
    // Bytes hashed on the chosen path between re-checks of the others, and
    // the timed steps of each other path a re-check takes. The first
    // re-check comes after `early_recheck_bytes` where the first choice was
    // close (the runner-up within `clear` of it).
    std::uint64_t recheck_bytes = std::uint64_t{2} << 30;
    std::uint64_t early_recheck_bytes = std::uint64_t{256} << 20;
    unsigned recheck_samples = 2;
    // The chosen path's median falling below this fraction of what it was
    // when chosen brings the next re-check forward, but not before
    // `slump_guard_bytes` since the last one.
    double slump = 0.5;
    std::uint64_t slump_guard_bytes = std::uint64_t{256} << 20;
    // Another path takes over only if its median rate beats the chosen
    // one's by this fraction (noise must not flip the choice back and forth).
    double margin = 0.03;
  };

  // Chooses among the paths by measurement.
  explicit ReadPathChooser(Tuning tuning);
  ReadPathChooser() : ReadPathChooser(Tuning{}) {}
  // Always `path` (MS_READ_STRATEGY=pread|mmap); records nothing.
  explicit ReadPathChooser(ReadPath path);

  ReadPathChooser(const ReadPathChooser&) = delete;
  ReadPathChooser& operator=(const ReadPathChooser&) = delete;

  // The path for a caller's next step: the path whose turn it is while the
  // paths are timed, else the chosen one. Thread-safe.
  ReadPath next();

  // A finished step of `bytes` on `path` that took `nanoseconds`. Untimed
  // steps (`timed` false: the first step of a stream, or the first after a
  // switch that has a set-up cost) only count towards the re-check budget,
  // so a turn lasts until its path has its timed steps. Thread-safe.
  void record(ReadPath path, std::uint64_t bytes, std::uint64_t nanoseconds, bool timed = true);

  // The path chosen so far; nullopt while they are still being timed.
  std::optional<ReadPath> chosen() const;
  // Whether the paths are chosen by measurement (not fixed).
  bool measures() const { return measuring_; }
  // Whether paths other than the chosen one are being timed now (a first
  // choice or a re-check is under way).
  bool measuring_now() const;

 private:
  static std::size_t index(ReadPath path) { return static_cast<std::size_t>(path); }
  // Median of the latest `count` timed rates (bytes per nanosecond) of `path`.
  double median(ReadPath path, std::size_t count) const;
  // Timed rates a first choice compares per path (every round's turns).
  std::size_t choice_window() const { return std::size_t{tuning_.samples} * tuning_.rounds; }
  // Timed steps a turn wants: a first choice's or a re-check's.
  unsigned turn_wanted() const { return chosen_ ? tuning_.recheck_samples : tuning_.samples; }
  void start_recheck();  // needs mutex_
  void next_turn();      // needs mutex_
  void decide();         // needs mutex_

  Tuning tuning_;
  bool measuring_ = true;
  mutable std::mutex mutex_;
  // Recent timed rates of each path, oldest first.
  std::array<std::vector<double>, kReadPaths> rates_;
  // The paths being timed (empty when none is): whose turn it is, its timed
  // steps so far in the turn, and rounds left after this one.
  std::vector<ReadPath> timing_;
  std::size_t turn_ = 0;
  unsigned turn_samples_ = 0;
  unsigned turn_handouts_ = 0;  // steps handed out in this turn
  unsigned rounds_left_ = 0;
  std::optional<ReadPath> chosen_;
  double reference_ = 0;  // the chosen path's median rate when it was (last) chosen
  std::uint64_t since_recheck_ = 0;  // bytes on the chosen path since the last re-check
  std::uint64_t recheck_after_ = 0;  // since_recheck_ that starts the next re-check
  bool recheck_due_ = false;
};

}  // namespace model_signing::engine
