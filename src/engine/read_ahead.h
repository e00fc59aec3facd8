// Reading just ahead of the thread hashing a stream, from a core that would
// otherwise sit idle (one big file in `files` mode, or the last stream of a
// run). Two ways, one per read path (engine/read_path.h):
//
// - kBuffer (the hasher reads with pread): the helper pread()s the stream's
//   next bytes into a ring of kSlots buffers of kSlot bytes, and the hasher
//   hashes them from there: the copy out of the page cache, and any wait
//   for the disk, are on the helper's core, and the hasher finds the bytes
//   in the shared cache. Bytes the helper could not read (a file it cannot
//   open, or one that changed size) the hasher reads itself, and reports.
// - kWarm (the hasher maps its windows): the helper maps its own windows of
//   the file, a window or two ahead of the hasher, and reads one byte of
//   every page. On a 2-core Intel VM that took a lone 4 GiB file from 1.27
//   to 1.48 GB/s (in-cache hashing 1.65): the gain is mostly the address
//   translation and page metadata the hasher's mapping then finds warm.
//   Best effort: a file it cannot open or map is skipped.
//
// The hasher publishes where it is on a ReadAheadBeacon; one helper follows
// each beacon.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "engine/shard_reader.h"

namespace model_signing::engine {

class ReadAheadBeacon {
 public:
  enum class Mode { kWarm, kBuffer };

  // kWarm: windows ahead of the hasher's position that the helper may warm.
  static constexpr std::uint64_t kDepth = 2;
  // kBuffer: the ring.
  static constexpr std::size_t kSlot = std::size_t{1} << 20;
  static constexpr std::size_t kSlots = 8;

  ReadAheadBeacon();
  ~ReadAheadBeacon();
  ReadAheadBeacon(const ReadAheadBeacon&) = delete;
  ReadAheadBeacon& operator=(const ReadAheadBeacon&) = delete;

  // Hasher side. The hasher is about to hash `position` of the range that
  // ends at `end` of the file at `path` (which must outlive the beacon), in
  // `mode`; with `ends_file` the file should end at `end`. Cheap when nobody
  // follows the beacon.
  void update(const std::string& path, std::uint64_t position, std::uint64_t end,
              Mode mode = Mode::kWarm, bool ends_file = false);
  // Whether a helper follows the beacon (claimed it, and it is not closed).
  bool followed();
  // kBuffer: a view of at most `max_length` bytes at `offset` (the bytes
  // the hasher hashes next, in order, within the range of the last update),
  // read by the helper; waits for them. Valid until the next take() or
  // update(). An empty view (data null) if no helper follows or it could
  // not read them: the hasher then reads them itself.
  ShardView take(std::uint64_t offset, std::size_t max_length);
  // No more updates will come; follow() returns.
  void close();

  // Helper side: true for the first caller while the beacon is open, which
  // may then follow() it; false for everyone else.
  bool claim();
  // Reads ahead of the updates until close(). Returns the bytes it warmed
  // or read into the ring. At most one thread follows a beacon (claim()
  // sees to that).
  std::uint64_t follow();
  // The bytes warmed or read ahead so far.
  std::uint64_t warmed();

 private:
  struct Slot;
  struct Ring;

  // Whether the helper has work for the current state; needs mutex_.
  bool helper_wanted(std::uint64_t generation, std::uint64_t position, bool failed) const;

  std::mutex mutex_;
  std::condition_variable changed_;  // the hasher's side changed (helper waits)
  std::condition_variable filled_;   // a slot was filled (hasher waits)
  bool followed_ = false;
  bool closed_ = false;
  const std::string* path_ = nullptr;
  Mode mode_ = Mode::kWarm;
  bool ends_file_ = false;
  std::uint64_t generation_ = 0;  // bumped when the range or mode changes
  std::uint64_t position_ = 0;
  std::uint64_t end_ = 0;
  std::uint64_t warmed_ = 0;
  std::unique_ptr<Ring> ring_;  // kBuffer; under mutex_ except slot bytes being read
};

}  // namespace model_signing::engine
