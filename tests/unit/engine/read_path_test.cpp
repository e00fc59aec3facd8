// The read-path decision (engine/read_path.h) with injected timings, so
// nothing here depends on how fast this machine is: every path is timed
// before the first choice, in turns every caller shares, the fastest wins,
// noise within the margin does not flip it, re-checks come after the byte
// budget, early after a close choice, or soon after the chosen path slows
// down, and exploring costs well under 1% of a large run.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <atomic>
#include <map>
#include <thread>
#include <vector>

#include "engine/read_path.h"
#include "model_signing/error.h"

namespace model_signing::testing {
namespace {

using engine::kAllReadPaths;
using engine::ReadPath;
using engine::ReadPathChooser;

constexpr std::uint64_t kStep = std::uint64_t{4} << 20;

// A machine where each path hashes at a fixed rate (bytes per nanosecond).
struct Machine {
  std::map<ReadPath, double> rate;
  std::uint64_t ns(ReadPath p, std::uint64_t bytes) const {
    return static_cast<std::uint64_t>(static_cast<double>(bytes) / rate.at(p));
  }
};

// One caller stepping through `bytes`, each step timed on `machine` except
// the first and (`switch_costs`) those that change path. Returns the bytes
// each path read.
std::map<ReadPath, std::uint64_t> run(ReadPathChooser& chooser, const Machine& machine,
                                      std::uint64_t bytes, bool switch_costs = false) {
  std::map<ReadPath, std::uint64_t> used;
  std::optional<ReadPath> previous;
  for (std::uint64_t done = 0; done < bytes; done += kStep) {
    ReadPath p = chooser.next();
    bool timed = previous.has_value() && (!switch_costs || p == *previous);
    chooser.record(p, kStep, machine.ns(p, kStep), timed);
    used[p] += kStep;
    previous = p;
  }
  return used;
}

TEST(ReadPathChooser, TimesEveryPathThenTakesTheFastest) {
  for (ReadPath fastest : kAllReadPaths) {
    SCOPED_TRACE(std::string(to_string(fastest)));
    Machine m{{{ReadPath::kPread, 1.0}, {ReadPath::kMap, 1.0}, {ReadPath::kMapPopulate, 1.0}}};
    m.rate[fastest] = 1.3;
    ReadPathChooser chooser;
    EXPECT_FALSE(chooser.chosen().has_value());
    EXPECT_TRUE(chooser.measuring_now());
    auto used = run(chooser, m, 40 * kStep);
    ASSERT_TRUE(chooser.chosen().has_value());
    EXPECT_EQ(*chooser.chosen(), fastest);
    EXPECT_FALSE(chooser.measuring_now());
    for (ReadPath p : kAllReadPaths) {
      EXPECT_GE(used[p], 2 * kStep) << "not timed: " << to_string(p);
    }
    EXPECT_GE(used[fastest], 30 * kStep);
  }
}

// A path that costs a step to switch into (the helper's ring) keeps its
// turn until it has its timed steps: each path in one run, an untimed first
// step and two timed ones; the paths clearly slower than the best drop out
// after that round.
TEST(ReadPathChooser, TimesThePathsInTurns) {
  Machine m{{{ReadPath::kPread, 1.5}, {ReadPath::kMap, 1.0}, {ReadPath::kMapPopulate, 1.1}}};
  ReadPathChooser chooser;
  std::vector<ReadPath> order;
  std::optional<ReadPath> previous;
  for (int i = 0; i < 16; ++i) {
    ReadPath p = chooser.next();
    bool timed = previous.has_value() && p == *previous;
    chooser.record(p, kStep, m.ns(p, kStep), timed);
    order.push_back(p);
    previous = p;
  }
  int switches = 0;
  for (std::size_t i = 1; i < order.size(); ++i) switches += order[i] != order[i - 1];
  EXPECT_EQ(switches, 3);
  const ReadPath runs[] = {ReadPath::kPread, ReadPath::kMap, ReadPath::kMapPopulate};
  for (std::size_t i = 0; i < order.size(); ++i) {
    EXPECT_EQ(order[i], i < 9 ? runs[i / 3] : ReadPath::kPread) << "step " << i;
  }
  EXPECT_EQ(chooser.chosen(), ReadPath::kPread);
}

// Paths within `clear` of each other go round every round (each timed
// samples x rounds), so that a drift of the machine spreads over all; a
// path clearly slower drops out after the first.
TEST(ReadPathChooser, CloseRacesGoEveryRound) {
  ReadPathChooser::Tuning tuning;
  Machine m{{{ReadPath::kPread, 1.0}, {ReadPath::kMap, 1.08}, {ReadPath::kMapPopulate, 0.5}}};
  ReadPathChooser chooser(tuning);
  std::map<ReadPath, unsigned> timed_steps;
  std::vector<ReadPath> order;
  while (!chooser.chosen()) {
    ReadPath p = chooser.next();
    chooser.record(p, kStep, m.ns(p, kStep), true);
    ++timed_steps[p];
    order.push_back(p);
  }
  EXPECT_EQ(*chooser.chosen(), ReadPath::kMap);
  EXPECT_EQ(timed_steps[ReadPath::kPread], tuning.samples * tuning.rounds);
  EXPECT_EQ(timed_steps[ReadPath::kMap], tuning.samples * tuning.rounds);
  EXPECT_EQ(timed_steps[ReadPath::kMapPopulate], tuning.samples);
  // Rounds, not one path's samples in a row: pread, mmap, populate, then
  // pread and mmap in turns.
  const std::vector<ReadPath> expected = {
      ReadPath::kPread, ReadPath::kPread, ReadPath::kMap,   ReadPath::kMap,
      ReadPath::kMapPopulate, ReadPath::kMapPopulate, ReadPath::kPread, ReadPath::kPread,
      ReadPath::kMap,   ReadPath::kMap,   ReadPath::kPread, ReadPath::kPread,
      ReadPath::kMap,   ReadPath::kMap};
  EXPECT_EQ(order, expected);
}

// Two workers hashing at once (a shards run) share the context's chooser.
// Each path is timed with both workers on it: here a populated mapping looks
// fastest while the other worker preads (it has the memory bus to itself),
// but both populating is slower than both preading, which is what a run
// would do after the choice.
TEST(ReadPathChooser, WorkersTakeTheirTurnsTogether) {
  auto rate = [](ReadPath mine, ReadPath other) {
    if (mine == other) return mine == ReadPath::kPread ? 1.5 : mine == ReadPath::kMap ? 1.2 : 1.3;
    if (mine == ReadPath::kMapPopulate) return 1.8;
    return mine == ReadPath::kPread ? 1.0 : 1.1;
  };
  ReadPathChooser chooser;
  int apart = 0;
  for (int i = 0; i < 200; ++i) {
    // Both ask, then both record: steps of the two workers overlap.
    ReadPath a = chooser.next();
    ReadPath b = chooser.next();
    if (a != b) ++apart;
    chooser.record(a, kStep, static_cast<std::uint64_t>(kStep / rate(a, b)), i > 0);
    chooser.record(b, kStep, static_cast<std::uint64_t>(kStep / rate(b, a)), i > 0);
  }
  EXPECT_EQ(apart, 0) << "the workers were timed on different paths at once";
  EXPECT_EQ(chooser.chosen(), ReadPath::kPread);
}

// A first choice that was close (the runner-up within `clear`) is checked
// again after `early_recheck_bytes`; a clear one only after
// `recheck_bytes`.
TEST(ReadPathChooser, ACloseChoiceIsRecheckedEarly) {
  for (double runner_up : {0.95, 0.6}) {
    SCOPED_TRACE(runner_up);
    ReadPathChooser::Tuning tuning;
    tuning.early_recheck_bytes = 32 * kStep;
    tuning.recheck_bytes = 512 * kStep;
    ReadPathChooser chooser(tuning);
    Machine m{{{ReadPath::kPread, runner_up}, {ReadPath::kMap, 1.0}, {ReadPath::kMapPopulate, 0.5}}};
    while (!chooser.chosen()) {
      ReadPath p = chooser.next();
      chooser.record(p, kStep, m.ns(p, kStep), true);
    }
    ASSERT_EQ(*chooser.chosen(), ReadPath::kMap);
    std::uint64_t until_recheck = 0;
    while (!chooser.measuring_now() && until_recheck < 1024 * kStep) {
      ReadPath p = chooser.next();
      chooser.record(p, kStep, m.ns(p, kStep), true);
      if (!chooser.measuring_now()) until_recheck += kStep;
    }
    EXPECT_EQ(until_recheck, runner_up > 0.9 ? tuning.early_recheck_bytes : tuning.recheck_bytes);
    // The re-checks after that one come after the budget.
    while (chooser.measuring_now()) {
      ReadPath p = chooser.next();
      chooser.record(p, kStep, m.ns(p, kStep), true);
    }
    std::uint64_t next_recheck = 0;
    while (!chooser.measuring_now() && next_recheck < 1024 * kStep) {
      ReadPath p = chooser.next();
      chooser.record(p, kStep, m.ns(p, kStep), true);
      if (!chooser.measuring_now()) next_recheck += kStep;
    }
    EXPECT_EQ(next_recheck, tuning.recheck_bytes);
  }
}

// A path whose steps never time (the file cannot be mapped, so the engine
// reads it by pread instead) ends its turn after a bounded number of steps.
TEST(ReadPathChooser, APathThatNeverTimesDoesNotHoldTheOthersUp) {
  ReadPathChooser chooser;
  int steps = 0;
  for (; steps < 200 && !chooser.chosen(); ++steps) {
    ReadPath p = chooser.next();
    ReadPath read = p == ReadPath::kPread ? p : ReadPath::kPread;  // the fallback
    chooser.record(read, kStep, kStep, true);
  }
  EXPECT_LT(steps, 200);
  EXPECT_EQ(chooser.chosen(), ReadPath::kPread);
}

TEST(ReadPathChooser, NoiseWithinTheMarginDoesNotFlipTheChoice) {
  // Paths within 2% of each other, with +-2% noise on every step.
  ReadPathChooser chooser;
  std::optional<ReadPath> previous;
  std::optional<ReadPath> first_choice;
  int flips = 0;
  std::uint32_t x = 7;
  for (int i = 0; i < 20000; ++i) {  // 80 GiB in 4 MiB steps: many re-checks
    ReadPath p = chooser.next();
    x = x * 1664525u + 1013904223u;
    double noise = 0.98 + 0.04 * (x >> 8) / double(1u << 24);
    double rate = (p == ReadPath::kPread ? 1.00 : p == ReadPath::kMap ? 1.01 : 1.02) * noise;
    chooser.record(p, kStep, static_cast<std::uint64_t>(kStep / rate), previous.has_value());
    previous = p;
    auto c = chooser.chosen();
    if (c && first_choice && *c != *first_choice) {
      ++flips;
      first_choice = c;
    }
    if (c && !first_choice) first_choice = c;
  }
  EXPECT_LE(flips, 2) << "the choice flipped back and forth on noise";
}

TEST(ReadPathChooser, RechecksAfterTheBudgetAndFollowsAChange) {
  ReadPathChooser::Tuning tuning;
  tuning.recheck_bytes = 256 * kStep;
  ReadPathChooser chooser(tuning);
  Machine m{{{ReadPath::kPread, 1.0}, {ReadPath::kMap, 1.4}, {ReadPath::kMapPopulate, 1.1}}};
  run(chooser, m, 64 * kStep);
  ASSERT_EQ(chooser.chosen(), ReadPath::kMap);
  // The machine changes; the choice follows at the next re-check, not
  // before.
  m.rate = {{ReadPath::kPread, 2.0}, {ReadPath::kMap, 1.4}, {ReadPath::kMapPopulate, 1.1}};
  auto before = run(chooser, m, 150 * kStep);
  EXPECT_EQ(before[ReadPath::kPread], 0u);
  EXPECT_EQ(chooser.chosen(), ReadPath::kMap);
  run(chooser, m, 150 * kStep);
  EXPECT_EQ(chooser.chosen(), ReadPath::kPread);
}

// The chosen path slowing down to well below what it did (a file that is
// not in the page cache) brings the re-check forward; one slow step does
// not.
TEST(ReadPathChooser, ASlumpBringsTheRecheckForward) {
  ReadPathChooser::Tuning tuning;
  tuning.recheck_bytes = std::uint64_t{1} << 40;  // never by budget
  tuning.slump_guard_bytes = 16 * kStep;
  ReadPathChooser chooser(tuning);
  Machine m{{{ReadPath::kPread, 1.5}, {ReadPath::kMap, 1.0}, {ReadPath::kMapPopulate, 1.0}}};
  run(chooser, m, 40 * kStep);
  ASSERT_EQ(chooser.chosen(), ReadPath::kPread);
  // One slow step among fast ones: no re-check.
  for (int i = 0; i < 30; ++i) {
    ReadPath p = chooser.next();
    EXPECT_EQ(p, ReadPath::kPread);
    double rate = i == 10 ? 0.3 : 1.5;
    chooser.record(p, kStep, static_cast<std::uint64_t>(kStep / rate), true);
  }
  EXPECT_FALSE(chooser.measuring_now());
  // pread now slow for good, the mappings faster: re-checked and switched.
  m.rate = {{ReadPath::kPread, 0.4}, {ReadPath::kMap, 0.9}, {ReadPath::kMapPopulate, 0.6}};
  auto used = run(chooser, m, 40 * kStep);
  EXPECT_GT(used[ReadPath::kMap], 0u);
  EXPECT_EQ(chooser.chosen(), ReadPath::kMap);
}

// What exploring costs: on a 2 GiB run where the best path is 1.5x the
// others (as the helper's buffers against mappings here), or just ahead of
// them (all rounds and an early re-check, each costing little), the time
// spent on the slower paths beyond what the best would have taken is under
// 1%.
TEST(ReadPathChooser, ExploringCostsUnderOnePercentOfALargeRun) {
  for (double lead : {1.03, 1.1, 1.17, 1.5}) {
    for (bool switch_costs : {false, true}) {
      for (ReadPath fastest : kAllReadPaths) {
        Machine m{{{ReadPath::kPread, 1.0}, {ReadPath::kMap, 1.0}, {ReadPath::kMapPopulate, 1.0}}};
        m.rate[fastest] = lead;
        ReadPathChooser chooser;
        const std::uint64_t total = std::uint64_t{2} << 30;
        auto used = run(chooser, m, total, switch_costs);
        double spent = 0;
        for (auto [p, bytes] : used) spent += static_cast<double>(m.ns(p, bytes));
        double ideal = static_cast<double>(m.ns(fastest, total));
        EXPECT_LT(spent / ideal - 1.0, 0.01)
            << to_string(fastest) << " ahead by " << lead << ", switch costs " << switch_costs;
        EXPECT_EQ(chooser.chosen(), fastest);
      }
    }
  }
}

TEST(ReadPathChooser, FixedPathsNeverMeasure) {
  for (ReadPath p : kAllReadPaths) {
    ReadPathChooser chooser(p);
    EXPECT_FALSE(chooser.measures());
    EXPECT_FALSE(chooser.measuring_now());
    EXPECT_EQ(chooser.chosen(), p);
    for (ReadPath other : kAllReadPaths) {
      EXPECT_EQ(chooser.next(), p);
      chooser.record(other, kStep, 1, true);
    }
    EXPECT_EQ(chooser.chosen(), p);
  }
}

// Workers share a chooser: concurrent calls are safe (also run under TSan)
// and it still ends with a choice.
TEST(ReadPathChooser, WorkersShareOne) {
  ReadPathChooser chooser;
  std::vector<std::thread> threads;
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&chooser, t] {
      for (int i = 0; i < 2000; ++i) {
        ReadPath p = chooser.next();
        double rate = p == ReadPath::kMapPopulate ? 2.0 : 1.0;
        chooser.record(p, kStep, static_cast<std::uint64_t>(kStep / rate), i > 0 || t > 0);
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(chooser.chosen(), ReadPath::kMapPopulate);
}

TEST(ReadStrategy, NamesAndTheEnvironment) {
  EXPECT_EQ(engine::parse_read_strategy("auto"), engine::ReadStrategy{});
  for (ReadPath p : kAllReadPaths) {
    EXPECT_EQ(engine::parse_read_strategy(to_string(p)), engine::ReadStrategy{p});
  }
  EXPECT_FALSE(engine::parse_read_strategy("MMAP").has_value());
  EXPECT_FALSE(engine::parse_read_strategy("").has_value());
  const char* saved = std::getenv("MS_READ_STRATEGY");
  std::string saved_value = saved ? saved : "";
  ::setenv("MS_READ_STRATEGY", "pread", 1);
  EXPECT_EQ(engine::read_strategy_from_environment(), engine::ReadStrategy{ReadPath::kPread});
  ::setenv("MS_READ_STRATEGY", "", 1);
  EXPECT_EQ(engine::read_strategy_from_environment(), engine::ReadStrategy{});
  ::setenv("MS_READ_STRATEGY", "fast", 1);
  try {
    engine::read_strategy_from_environment();
    ADD_FAILURE() << "accepted MS_READ_STRATEGY=fast";
  } catch (const Error& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kInvalidArgument);
    EXPECT_NE(std::string(e.what()).find("MS_READ_STRATEGY=fast"), std::string::npos) << e.what();
  }
  if (saved) {
    ::setenv("MS_READ_STRATEGY", saved_value.c_str(), 1);
  } else {
    ::unsetenv("MS_READ_STRATEGY");
  }
}

}  // namespace
}  // namespace model_signing::testing
