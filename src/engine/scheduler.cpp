#include "engine/scheduler.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <exception>
#include <memory>
#include <mutex>
#include <optional>
#include <thread>
#include <unordered_map>

#include "engine/read_ahead.h"
#include "engine/read_path.h"
#include "engine/shard_layout.h"
#include "engine/shard_reader.h"
#include "engine/sigbus_guard.h"
#include "hash/hasher.h"
#include "model_signing/error.h"

namespace model_signing::engine {

namespace {

constexpr auto kProgressInterval = std::chrono::milliseconds(100);
// A stream is set aside only at a slice boundary; one that could finish last
// is taken up this much before it has to be.
constexpr std::uint64_t kCriticalMarginSlices = 1;

// Feeds mapped bytes to a hash `stride` bytes at a time, each step preceded
// by prefetching the next: the CPU's own prefetcher stops at page boundaries,
// and a hash that reads memory it has not brought in stalls on it.
void update_prefetching(hash::Hasher& hasher, const std::uint8_t* data, std::size_t size,
                        std::size_t stride) {
  for (std::size_t at = 0; at < size; at += stride) {
    std::size_t next = at + stride;
    for (std::size_t line = next; line < next + stride && line < size; line += 64) {
      __builtin_prefetch(data + line, 0, 3);
    }
    hasher.update(data + at, std::min(stride, size - at));
  }
}

// Where a step runs, which decides what the read paths cost, so each has
// its own chooser: a worker hashing one stream on its own, two at once
// (Hasher::update_pair), or one with an idle core reading ahead for it.
enum class Context { kAlone, kPaired, kHelped };
constexpr std::size_t kContexts = 3;

// The choosers a run uses: the process's own where the engine measures with
// the default tuning (so a process calibrates once, and keeps re-checking),
// a fresh set for a run with its own tuning (tests), or fixed paths.
class Choosers {
 public:
  Choosers(const std::optional<ReadStrategy>& strategy,
           const std::optional<ReadPathChooser::Tuning>& tuning) {
    ReadStrategy s = strategy ? *strategy : read_strategy_from_environment();
    if (s.fixed) {
      static ReadPathChooser fixed[kReadPaths] = {ReadPathChooser(ReadPath::kPread),
                                                  ReadPathChooser(ReadPath::kMap),
                                                  ReadPathChooser(ReadPath::kMapPopulate)};
      for (auto& c : in_use_) c = &fixed[static_cast<std::size_t>(*s.fixed)];
    } else if (tuning) {
      for (std::size_t i = 0; i < kContexts; ++i) {
        own_[i] = std::make_unique<ReadPathChooser>(*tuning);
        in_use_[i] = own_[i].get();
      }
    } else {
      static ReadPathChooser process[kContexts];
      for (std::size_t i = 0; i < kContexts; ++i) in_use_[i] = &process[i];
    }
  }
  ReadPathChooser& operator[](Context c) { return *in_use_[static_cast<std::size_t>(c)]; }

 private:
  std::unique_ptr<ReadPathChooser> own_[kContexts];
  ReadPathChooser* in_use_[kContexts] = {};
};

class Scheduler {
 public:
  Scheduler(const std::vector<walk::ModelFile>& files, const EngineOptions& options,
            unsigned workers)
      : options_(options),
        workers_(workers),
        tasks_(files, options.method == Serialization::kShards ? options.shard_size : 0, workers,
               hash::make_hasher(options.hash)->subtree_unit()),
        items_(tasks_.shards()),
        choosers_(options.read_strategy, options.read_tuning) {
    for (const auto& f : files) total_bytes_ += f.size;
    if (options.progress_report) count_shards_per_file(files);
    auto a = hash::make_hasher(options.hash);
    auto b = hash::make_hasher(options.hash);
    lanes_ = options.pair_streams && a->pairs_with(*b) ? kMaxLanes : 1;
  }

  std::vector<ManifestItem> execute() {
    if (tasks_.tasks() == 0) return {};
    pool_size_ = static_cast<unsigned>(std::min<std::uint64_t>(workers_, tasks_.tasks()));
    slice_ = pool_size_ > 1 && options_.slice_bytes > 0 ? options_.slice_bytes : UINT64_MAX;
    // Cores the pool leaves idle read ahead from the start (tasks_.at(0) is
    // the largest); the others once the pool runs out of work.
    unsigned helpers = 0;
    if (options_.read_ahead && workers_ > 1) {
      for (unsigned i = 0; i < pool_size_; ++i) {
        beacons_.push_back(std::make_unique<ReadAheadBeacon>());
      }
      if (ShardReader::chooses(tasks_.at(0).length)) helpers = std::min(workers_ - pool_size_, pool_size_);
    }
    std::vector<std::thread> threads;
    threads.reserve(pool_size_ + helpers);
    try {
      for (unsigned i = 0; i < helpers; ++i) threads.emplace_back([this] { help(); });
      if (pool_size_ > 1) {
        for (unsigned i = 0; i < pool_size_; ++i) threads.emplace_back([this, i] { work(i, false); });
      }
    } catch (...) {
      // No thread to be had: stop those that started, then report it.
      {
        std::lock_guard lock(mutex_);
        stop_ = true;
      }
      for (auto& b : beacons_) b->close();
      cv_.notify_all();
      for (auto& t : threads) t.join();
      throw;
    }
    if (pool_size_ <= 1) {
      work(0, /*report_progress=*/true);
    } else {
      monitor(pool_size_);
    }
    for (auto& t : threads) t.join();
    if (error_) std::rethrow_exception(error_);
    if (options_.stats) {
      options_.stats->switches = switches_;
      options_.stats->paired_bytes = paired_bytes_.load();
      options_.stats->read_ahead_bytes = read_ahead_bytes_.load();
      options_.stats->pread_bytes = pread_bytes_.load();
      options_.stats->mapped_bytes = mapped_bytes_.load();
      options_.stats->populated_bytes = populated_bytes_.load();
      options_.stats->buffered_bytes = buffered_bytes_.load();
      options_.stats->path_switches = path_switches_.load();
    }
    report_progress(total_bytes_);
    return std::move(items_);
  }

 private:
  static constexpr unsigned kMaxLanes = 2;

  // A task under way: how far it got and the hasher holding its state, so
  // that it can be set aside and carried on by any worker.
  struct Stream {
    HashTask task;
    std::uint64_t done = 0;
    std::unique_ptr<hash::Hasher> hasher;
    // Its last step: how it was read, and where.
    std::optional<ReadPath> last_path;
    Context last_context = Context::kAlone;
    std::uint64_t advised_until = 0;  // file offset the kernel was asked to read up to
    std::uint64_t left() const { return task.length - done; }
  };

  // One stream a worker is hashing, with the reader for its file. A worker
  // hashes one stream, or two at once where the hash can interleave them
  // (Hasher::update_pair): two SHA-256 streams on one core go about 1.2x as
  // fast as one.
  struct Lane {
    Stream stream;
    ShardReader reader;
    std::uint64_t slice_end = 0;  // stream.done where the current slice ends
    bool active() const { return stream.hasher != nullptr; }
  };

  // Per worker: its lanes, a hasher kept for reuse, and progress reporting.
  struct Worker {
    unsigned index = 0;
    Lane lanes[kMaxLanes];
    unsigned active = 0;  // lanes with a stream
    std::unique_ptr<hash::Hasher> spare;
    bool report_progress = false;
    std::chrono::steady_clock::time_point last_report;
  };

  void work(unsigned index, bool report_progress) {
    try {
      Worker w;
      w.index = index;
      w.report_progress = report_progress;
      w.last_report = std::chrono::steady_clock::now();
      while (!stop_.load(std::memory_order_relaxed)) {
        if (!fill(w)) break;
        if (w.active == 2) {
          hash_pair(w);
        } else {
          hash_one(w, w.lanes[0].active() ? w.lanes[0] : w.lanes[1]);
        }
        for (Lane& lane : w.lanes) {
          if (lane.active() && lane.stream.done == lane.slice_end) end_slice(w, lane);
        }
      }
    } catch (...) {
      std::lock_guard lock(mutex_);
      if (!error_) error_ = std::current_exception();
      stop_ = true;
      cv_.notify_all();
    }
    {
      std::lock_guard lock(mutex_);
      ++finished_;
    }
    cv_.notify_all();
    if (!beacons_.empty()) {
      beacons_[index]->close();
      if (pool_size_ > 1) help();
    }
  }

  // Reads ahead of workers still hashing, one each, until all have finished.
  // Best effort: nothing here may fail the run.
  void help() {
    try {
      for (auto& beacon : beacons_) {
        if (beacon->claim()) read_ahead_bytes_.fetch_add(beacon->follow(), std::memory_order_relaxed);
      }
    } catch (...) {
    }
  }

  // Bytes of the current slice of `lane` hashed as one step: at most a
  // mapped window (a pread step is several buffers), half of one while the
  // paths are being timed (which then costs less), or the whole of a small
  // stream.
  std::size_t step_of(const Lane& lane, Context context) {
    std::uint64_t left = lane.slice_end - lane.stream.done;
    std::size_t limit = chooser(context).measuring_now() ? ShardReader::kMapWindow / 2
                                                         : ShardReader::kMapWindow;
    return static_cast<std::size_t>(std::min<std::uint64_t>(left, limit));
  }

  // The read path for a step in `context`, by the chooser.
  ReadPath choose(Context context) { return chooser(context).next(); }

  // Records a step of `bytes` of `stream` read by `path` in `context` that
  // took `nanoseconds`. A stream's first step in a context is not timed
  // (it opens the file, and the other core may still be filling its
  // buffers), nor one that switches into the helper's buffers.
  void record(Context context, Stream& stream, ReadPath path, std::uint64_t bytes,
              std::uint64_t nanoseconds) {
    bool continued = stream.last_context == context && stream.last_path.has_value();
    bool timed = continued && (*stream.last_path == path || context != Context::kHelped);
    if (continued && *stream.last_path != path) path_switches_.fetch_add(1, std::memory_order_relaxed);
    chooser(context).record(path, bytes, nanoseconds, timed);
    (path == ReadPath::kPread ? pread_bytes_ : mapped_bytes_).fetch_add(bytes, std::memory_order_relaxed);
    if (path == ReadPath::kMapPopulate) populated_bytes_.fetch_add(bytes, std::memory_order_relaxed);
    stream.last_context = context;
    stream.last_path = path;
  }

  // Asks the kernel to read the stream's next bytes while these are hashed
  // (for a file not in the page cache): each byte once, a little ahead.
  static void advise_ahead(Lane& lane, std::uint64_t from) {
    Stream& s = lane.stream;
    std::uint64_t end = s.task.start + s.task.length;
    std::uint64_t begin = std::max(from, s.advised_until);
    std::uint64_t until = std::min(end, from + ShardReader::kAdviseAhead);
    if (begin >= until) return;
    lane.reader.advise(s.task.file->open_path, s.task.file->open_path, begin, until - begin);
    s.advised_until = until;
  }

  // Hashes the next step of one stream.
  void hash_one(Worker& w, Lane& lane) {
    Stream& stream = lane.stream;
    const HashTask& task = stream.task;
    const std::string& path = task.file->open_path;
    const std::uint64_t offset = task.start + stream.done;
    hash::Hasher& hasher = *stream.hasher;
    if (!ShardReader::chooses(task.length)) {
      const std::size_t size = static_cast<std::size_t>(lane.slice_end - stream.done);
      ShardView v = lane.reader.read(path, path, offset, size,
                                     task.last_shard && stream.done + size == task.length);
      hasher.update(v.data, v.size);
      finish_step(w, stream, size);
      return;
    }
    ReadAheadBeacon* beacon = beacons_.empty() ? nullptr : beacons_[w.index].get();
    const Context context = beacon && beacon->followed() ? Context::kHelped : Context::kAlone;
    const std::size_t size = step_of(lane, context);
    const bool ends = stream.done + size == task.length && task.last_shard;
    ReadPath how = choose(context);
    const bool buffered = context == Context::kHelped && how == ReadPath::kPread;
    if (beacon) {
      beacon->update(path, offset, task.start + task.length,
                     buffered ? ReadAheadBeacon::Mode::kBuffer : ReadAheadBeacon::Mode::kWarm,
                     task.last_shard);
    }
    if (!buffered) advise_ahead(lane, offset + size);
    const auto started = std::chrono::steady_clock::now();
    ShardView mapped;
    if (how != ReadPath::kPread) {
      mapped = lane.reader.map(path, path, offset, size, ends, how == ReadPath::kMapPopulate);
    }
    if (mapped.data) {
      auto hash = [&] {
        if (hasher.prefetch_stride() != 0) {
          update_prefetching(hasher, mapped.data, mapped.size, hasher.prefetch_stride());
        } else {
          hasher.update(mapped.data, mapped.size);
        }
      };
      Lane* lanes[1] = {&lane};
      guarded(hash, &mapped, lanes, 1);
      lane.reader.release();
    } else {
      how = ReadPath::kPread;  // also where the file cannot be mapped
      for (std::size_t at = 0; at < size;) {
        ShardView v;
        if (buffered) {
          v = beacon->take(offset + at, size - at);
          buffered_bytes_.fetch_add(v.size, std::memory_order_relaxed);
        }
        if (!v.data) {
          std::size_t n = std::min(ShardReader::kReadBuffer, size - at);
          v = lane.reader.read(path, path, offset + at, n, ends && at + n == size);
        }
        hasher.update(v.data, v.size);
        at += v.size;
      }
    }
    record(context, stream, how, size, elapsed_ns(started));
    finish_step(w, stream, size);
  }

  // Hashes the next step of both of a worker's streams at once.
  void hash_pair(Worker& w) {
    Lane& a = w.lanes[0];
    Lane& b = w.lanes[1];
    const std::size_t size = std::min(step_of(a, Context::kPaired), step_of(b, Context::kPaired));
    Lane* lanes[2] = {&a, &b};
    const bool chooses =
        ShardReader::chooses(a.stream.task.length) && ShardReader::chooses(b.stream.task.length);
    ReadPath how = chooses ? choose(Context::kPaired) : ReadPath::kPread;
    for (Lane* lane : lanes) {
      if (chooses) advise_ahead(*lane, lane->stream.task.start + lane->stream.done + size);
    }
    const auto started = std::chrono::steady_clock::now();
    ShardView views[2];
    if (how != ReadPath::kPread) {
      for (int i = 0; i < 2; ++i) views[i] = map_step(*lanes[i], size, how == ReadPath::kMapPopulate);
    }
    if (views[0].data && views[1].data) {
      auto hash = [&] {
        a.stream.hasher->update_pair(*b.stream.hasher, views[0].data, views[1].data, size);
      };
      guarded(hash, views, lanes, 2);
    } else {
      how = ReadPath::kPread;
      for (std::size_t at = 0; at < size; at += ShardReader::kReadBuffer) {
        std::size_t n = std::min(ShardReader::kReadBuffer, size - at);
        for (int i = 0; i < 2; ++i) views[i] = read_step(*lanes[i], at, n);
        a.stream.hasher->update_pair(*b.stream.hasher, views[0].data, views[1].data, n);
      }
    }
    a.reader.release();
    b.reader.release();
    if (chooses) {
      std::uint64_t ns = elapsed_ns(started);
      record(Context::kPaired, a.stream, how, 2 * size, ns);
      b.stream.last_context = Context::kPaired;
      b.stream.last_path = how;
    }
    paired_bytes_.fetch_add(2 * size, std::memory_order_relaxed);
    finish_step(w, a.stream, size);
    finish_step(w, b.stream, size);
  }

  // The next `length` bytes of `lane` through a mapping (data null if the
  // file cannot be mapped), or `at` bytes into them read.
  static ShardView map_step(Lane& lane, std::size_t length, bool populate) {
    const HashTask& task = lane.stream.task;
    std::uint64_t done = lane.stream.done;
    return lane.reader.map(task.file->open_path, task.file->open_path, task.start + done, length,
                           task.last_shard && done + length == task.length, populate);
  }
  static ShardView read_step(Lane& lane, std::size_t at, std::size_t length) {
    const HashTask& task = lane.stream.task;
    std::uint64_t done = lane.stream.done + at;
    return lane.reader.read(task.file->open_path, task.file->open_path, task.start + done, length,
                            task.last_shard && done + length == task.length);
  }

  static std::uint64_t elapsed_ns(std::chrono::steady_clock::time_point started) {
    return static_cast<std::uint64_t>(std::chrono::duration_cast<std::chrono::nanoseconds>(
                                          std::chrono::steady_clock::now() - started)
                                          .count());
  }

  void finish_step(Worker& w, Stream& stream, std::size_t size) {
    stream.done += size;
    count_done(w, size);
  }

  // Hashes mapped bytes so that a file truncated meanwhile is an error that
  // names it, not a SIGBUS.
  template <class F>
  void guarded(F& hash, const ShardView* views, Lane* const* lanes, std::size_t count) {
    MappedRange ranges[kMaxLanes];
    bool mapped = false;
    for (std::size_t i = 0; i < count; ++i) {
      ranges[i] = {views[i].data, views[i].data + views[i].size};
      mapped = mapped || views[i].mapped;
    }
    if (!mapped) {
      hash();
      return;
    }
    int faulted = run_guarded(ranges, count, hash);
    if (faulted < 0) return;
    throw_read_error(lanes[faulted]->stream.task.file->open_path,
                     "file shrank while it was being hashed");
  }

  void count_done(Worker& w, std::uint64_t bytes) {
    done_bytes_.fetch_add(bytes, std::memory_order_relaxed);
    if (!w.report_progress || !wants_progress()) return;
    auto now = std::chrono::steady_clock::now();
    if (now - w.last_report < kProgressInterval) return;
    w.last_report = now;
    report_progress(done_bytes_.load());
  }

  bool wants_progress() const { return options_.progress || options_.progress_report; }
  void report_progress(std::uint64_t done) {
    if (options_.progress) options_.progress(done, total_bytes_);
    if (options_.progress_report) {
      options_.progress_report(
          {done, total_bytes_, files_done_.load(std::memory_order_relaxed), shards_left_.size()});
    }
  }

  // Progress in files: a file is done when its last shard is (empty files
  // have none in shards mode, and count as done from the start).
  void count_shards_per_file(const std::vector<walk::ModelFile>& files) {
    first_file_ = files.data();
    shards_left_ = std::vector<std::atomic<std::uint64_t>>(files.size());
    for (std::uint64_t t = 0; t < tasks_.tasks(); ++t) {
      HashTask task = tasks_.at(t);
      if (task.subtree == 0) shards_left_[static_cast<std::size_t>(task.file - first_file_)]++;
    }
    for (const auto& left : shards_left_) {
      if (left.load() == 0) files_done_++;
    }
  }
  void item_done(const HashTask& task) {
    if (shards_left_.empty()) return;
    auto& left = shards_left_[static_cast<std::size_t>(task.file - first_file_)];
    if (left.fetch_sub(1, std::memory_order_relaxed) == 1) {
      files_done_.fetch_add(1, std::memory_order_relaxed);
    }
  }

  // Scheduling: tasks start largest first. A worker takes a second stream
  // when enough are waiting that no idle worker goes without, and keeps its
  // streams until the one waiting with the most bytes left is critical,
  // i.e. could no longer finish by the time the pool as a whole runs out of
  // work if it waited longer. Then the worker sets its own stream aside
  // (hasher and all) and takes that one; whoever is free next carries on the
  // one set aside. A worker left with nothing waits while another hashes two
  // streams, and that one hands it one. Without this, three equal files (or
  // five 1 GB shards) on two workers end with one worker hashing the last
  // alone while the other idles; with it, both finish within about a slice
  // of each other, after a few switches near the end.

  // Gives the worker's empty lanes their streams; false when the worker has
  // nothing left to do.
  bool fill(Worker& w) {
    if (w.active == lanes_) return true;
    std::unique_lock lock(mutex_);
    while (true) {
      unsigned before = w.active;
      for (unsigned i = 0; i < lanes_; ++i) {
        Lane& lane = w.lanes[i];
        if (lane.active()) continue;
        if (w.active > 0 && !second_wanted()) break;
        if (!acquire(lane.stream, w.spare)) break;
        start_slice(lane);
        ++w.active;
      }
      if (w.active != before) count_lanes(before, w.active);
      if (w.active > 0 || stop_) return w.active > 0;
      // Nothing waiting: wait for a worker hashing two streams to hand one
      // over, unless none is.
      if (paired_workers_ == 0) return false;
      ++hungry_;
      cv_.wait(lock, [&] { return stop_ || waiting() > 0 || paired_workers_ == 0; });
      --hungry_;
    }
  }

  // Streams not being hashed: fresh tasks and streams set aside; needs mutex_.
  std::uint64_t waiting() const { return tasks_.tasks() - next_ + parked_.size(); }

  // Whether a worker with one stream should take a second; needs mutex_.
  bool second_wanted() const {
    unsigned idle = pool_size_ - busy_workers_ - finished_;
    return waiting() > idle;
  }

  // A worker's active lanes went from `before` to `after`; needs mutex_.
  void count_lanes(unsigned before, unsigned after) {
    busy_workers_ += (after > 0) - (before > 0);
    paired_workers_ += (after > 1) - (before > 1);
    // Only a hungry worker waits for this (the monitor waits for finished_):
    // waking no one costs nothing, but a notify with the monitor waiting is a
    // system call per stream on a model of many small files.
    if (before > 1 && after <= 1 && hungry_ > 0) cv_.notify_all();
  }

  void start_slice(Lane& lane) {
    lane.slice_end = lane.stream.done + std::min(lane.stream.left(), slice_);
  }

  // At the end of a slice of `lane`: finishes its stream, or hands it to a
  // waiting worker, or swaps it for a critical one, or carries on.
  void end_slice(Worker& w, Lane& lane) {
    if (lane.stream.left() == 0) {
      finish_stream(lane.stream);
      w.spare = std::move(lane.stream.hasher);
      std::lock_guard lock(mutex_);
      drop_lane(w);
      return;
    }
    std::lock_guard lock(mutex_);
    if (hungry_ > 0 && w.active == 2) {
      parked_.push_back(std::move(lane.stream));
      lane.stream.hasher.reset();
      ++switches_;
      drop_lane(w);
      cv_.notify_all();
      return;
    }
    maybe_switch(lane.stream, w.spare);
    start_slice(lane);
  }

  // One of the worker's lanes was emptied; needs mutex_.
  void drop_lane(Worker& w) {
    unsigned before = w.active--;
    count_lanes(before, w.active);
  }

  void finish_stream(Stream& stream) {
    const HashTask& task = stream.task;
    if (task.subtrees == 1) {
      describe(task, items_[task.shard]).digest = stream.hasher->finish();
      item_done(task);
    } else {
      finish_subtree(task, *stream.hasher);
    }
  }

  // Starts task `t` with the spare hasher or a new one.
  void start(Stream& stream, std::uint64_t t, std::unique_ptr<hash::Hasher>& spare) {
    stream.task = tasks_.at(t);
    stream.done = 0;
    stream.hasher = spare ? std::move(spare) : hash::make_hasher(options_.hash);
    if (stream.task.subtrees == 1) {
      stream.hasher->reset();
    } else {
      stream.hasher->reset_subtree(stream.task.start - stream.task.shard_start);
    }
  }

  // Bytes of the next task not yet started; 0 when there is none; needs mutex_.
  std::uint64_t next_task_length() const {
    return next_ < tasks_.tasks() ? tasks_.at(next_).length : 0;
  }

  // The set-aside stream with the most bytes left; needs mutex_.
  std::size_t largest_parked() const {
    std::size_t best = 0;
    for (std::size_t i = 1; i < parked_.size(); ++i) {
      if (parked_[i].left() > parked_[best].left()) best = i;
    }
    return best;
  }

  Stream take_parked(std::size_t i) {
    Stream stream = std::move(parked_[i]);
    if (i + 1 != parked_.size()) parked_[i] = std::move(parked_.back());
    parked_.pop_back();
    return stream;
  }

  // The next thing to hash: the waiting stream with the most bytes left.
  // False when nothing is left; needs mutex_.
  bool acquire(Stream& stream, std::unique_ptr<hash::Hasher>& spare) {
    bool fresh = next_ < tasks_.tasks();
    if (!parked_.empty()) {
      std::size_t p = largest_parked();
      if (!fresh || parked_[p].left() >= next_task_length()) {
        stream = take_parked(p);
        return true;
      }
    }
    if (!fresh) return false;
    start(stream, next_++, spare);
    return true;
  }

  // At a slice boundary of `current`: swaps it for a waiting stream that
  // has become critical and has more bytes left; needs mutex_.
  void maybe_switch(Stream& current, std::unique_ptr<hash::Hasher>& spare) {
    auto critical = [&](std::uint64_t waiting_left) {
      if (waiting_left <= current.left() + slice_) return false;
      std::uint64_t done = done_bytes_.load(std::memory_order_relaxed);
      std::uint64_t pool_left =
          (total_bytes_ - std::min(done, total_bytes_)) / (std::uint64_t{pool_size_} * lanes_);
      return waiting_left + kCriticalMarginSlices * slice_ >= pool_left;
    };
    std::uint64_t fresh_left = next_task_length();
    if (!parked_.empty()) {
      std::size_t p = largest_parked();
      if (parked_[p].left() >= fresh_left) {
        if (critical(parked_[p].left())) {
          std::swap(current, parked_[p]);
          ++switches_;
        }
        return;
      }
    }
    if (fresh_left == 0 || !critical(fresh_left)) return;
    parked_.push_back(std::move(current));
    start(current, next_++, spare);
    ++switches_;
  }

  ManifestItem& describe(const HashTask& task, ManifestItem& item) const {
    item.path = task.file->name;
    if (options_.method == Serialization::kShards) {
      item.start = task.shard_start;
      item.end = task.shard_start + task.shard_length;
    }
    return item;
  }
  // Stores a subtree's chaining value; whoever stores a shard's last one
  // combines them into the shard's digest.
  void finish_subtree(const HashTask& task, hash::Hasher& hasher) {
    const std::size_t value_size = hasher.digest_size();
    SubtreeValues* values;
    {
      std::lock_guard lock(mutex_);
      auto& slot = subtree_values_[task.shard];
      if (!slot) slot = std::make_unique<SubtreeValues>(task.subtrees, value_size);
      values = slot.get();
    }
    hasher.finish_subtree(values->bytes.data() + task.subtree * value_size);
    if (values->remaining.fetch_sub(1, std::memory_order_acq_rel) != 1) return;
    ManifestItem& item = describe(task, items_[task.shard]);
    item.digest.resize(value_size);
    hasher.finish_from_subtrees(values->bytes.data(), task.subtrees, item.digest.data());
    item_done(task);
    std::lock_guard lock(mutex_);
    subtree_values_.erase(task.shard);
  }

  // Runs on the calling thread while the pool works: progress reports come
  // from one thread only.
  void monitor(unsigned workers) {
    std::unique_lock lock(mutex_);
    while (finished_ < workers) {
      cv_.wait_for(lock, kProgressInterval);
      if (wants_progress() && finished_ < workers) {
        lock.unlock();
        report_progress(done_bytes_.load());
        lock.lock();
      }
    }
  }

  // The chaining values of a shard hashed as subtrees, until all are in.
  struct SubtreeValues {
    SubtreeValues(std::uint64_t count, std::size_t value_size)
        : bytes(count * value_size), remaining(count) {}
    std::vector<std::uint8_t> bytes;
    std::atomic<std::uint64_t> remaining;
  };

  const EngineOptions& options_;
  unsigned workers_;
  unsigned pool_size_ = 1;
  std::uint64_t slice_ = UINT64_MAX;  // bytes hashed between scheduling checks
  ShardLayout tasks_;
  std::vector<ManifestItem> items_;
  // By shard, only while some of its subtrees are done and some are not.
  std::unordered_map<std::uint64_t, std::unique_ptr<SubtreeValues>> subtree_values_;
  std::uint64_t total_bytes_ = 0;
  // For progress_report only: shards not yet hashed, per file.
  const walk::ModelFile* first_file_ = nullptr;
  std::vector<std::atomic<std::uint64_t>> shards_left_;
  std::atomic<std::uint64_t> files_done_{0};
  std::uint64_t next_ = 0;  // the first task not started; under mutex_
  std::vector<Stream> parked_;  // streams set aside; under mutex_
  std::uint64_t switches_ = 0;  // under mutex_
  // Workers with at least one stream, with two, and waiting for a handoff;
  // under mutex_.
  unsigned busy_workers_ = 0;
  unsigned paired_workers_ = 0;
  unsigned hungry_ = 0;
  unsigned lanes_ = 1;  // streams per worker: 2 where the hash pairs them
  // One per worker where helpers may run; each worker closes its own.
  std::vector<std::unique_ptr<ReadAheadBeacon>> beacons_;
  ReadPathChooser& chooser(Context context) { return choosers_[context]; }

  Choosers choosers_;
  std::atomic<std::uint64_t> paired_bytes_{0};
  std::atomic<std::uint64_t> pread_bytes_{0};
  std::atomic<std::uint64_t> mapped_bytes_{0};
  std::atomic<std::uint64_t> populated_bytes_{0};
  std::atomic<std::uint64_t> buffered_bytes_{0};
  std::atomic<std::uint64_t> path_switches_{0};
  std::atomic<std::uint64_t> read_ahead_bytes_{0};
  std::atomic<std::uint64_t> done_bytes_{0};
  std::atomic<bool> stop_{false};
  std::mutex mutex_;
  std::condition_variable cv_;
  unsigned finished_ = 0;
  std::exception_ptr error_;
};

}  // namespace

std::vector<ManifestItem> run_scheduler(const std::vector<walk::ModelFile>& files,
                                        const EngineOptions& options, unsigned workers) {
  return Scheduler(files, options, workers).execute();
}

}  // namespace model_signing::engine
