// Warming a file's pages just ahead of the thread hashing it, from a core
// that would otherwise sit idle (one big file in `files` mode, or the last
// stream of a run). The helper maps its own windows of the file, a window
// or two ahead of the hasher, and reads one byte of every page. Hashing a
// 4 GiB file from the page cache on one core went from 1.27 to 1.48 GB/s
// here with it (in-cache hashing: 1.65). Reading one byte per page did
// nearly as much as reading every cache line, so the gain is mostly in the
// address translation and page metadata the hasher's own mapping then finds
// warm, not in the data.
//
// The hasher publishes where it is on a ReadAheadBeacon; one helper follows
// each beacon. Warming is best effort: a file the helper cannot open or map
// is skipped, and one truncated meanwhile is left for the hasher to report.
#pragma once

#include <condition_variable>
#include <cstdint>
#include <mutex>
#include <string>

namespace model_signing::engine {

class ReadAheadBeacon {
 public:
  // Windows ahead of the hasher's position that the helper may warm.
  static constexpr std::uint64_t kDepth = 2;

  // Hasher side. The hasher is about to hash `position` of the range that
  // ends at `end` of the file at `path` (which must outlive the beacon).
  // Cheap when nobody follows the beacon.
  void update(const std::string& path, std::uint64_t position, std::uint64_t end);
  // No more updates will come; follow() returns.
  void close();

  // Helper side: true for the first caller while the beacon is open, which
  // may then follow() it; false for everyone else.
  bool claim();
  // Warms pages ahead of the updates until close(). Returns the bytes it
  // warmed. At most one thread follows a beacon (claim() sees to that).
  std::uint64_t follow();
  // The bytes warmed so far.
  std::uint64_t warmed();

 private:
  std::mutex mutex_;
  std::condition_variable changed_;
  bool followed_ = false;
  bool closed_ = false;
  const std::string* path_ = nullptr;
  std::uint64_t generation_ = 0;  // bumped when the range changes
  std::uint64_t position_ = 0;
  std::uint64_t end_ = 0;
  std::uint64_t warmed_ = 0;
};

}  // namespace model_signing::engine
