#include "engine/read_ahead.h"

#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>

#include "engine/shard_reader.h"
#include "engine/sigbus_guard.h"

namespace model_signing::engine {

namespace {

constexpr std::uint64_t kWindow = ShardReader::kMapWindow;

// Maps [at, at + length) of `fd` and reads a byte of each page; false if it
// could not be mapped or the file is shorter now.
bool warm(int fd, std::uint64_t at, std::uint64_t length) {
  const std::size_t page = page_size();
  std::uint64_t start = at - at % page;
  auto span = static_cast<std::size_t>(at + length - start);
  void* p = ::mmap(nullptr, span, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd,
                   static_cast<off_t>(start));
  if (p == MAP_FAILED) return false;
  const auto* bytes = static_cast<const std::uint8_t*>(p);
  auto touch = [&] {
    for (std::size_t offset = 0; offset < span; offset += page) {
      (void)*static_cast<const volatile std::uint8_t*>(bytes + offset);
    }
  };
  MappedRange range{bytes, bytes + span};
  bool whole = run_guarded(&range, 1, touch) < 0;
  ::munmap(p, span);
  return whole;
}

}  // namespace

void ReadAheadBeacon::update(const std::string& path, std::uint64_t position, std::uint64_t end) {
  std::lock_guard lock(mutex_);
  if (&path != path_ || end != end_ || position < position_ || generation_ == 0) {
    path_ = &path;
    end_ = end;
    ++generation_;
  }
  position_ = position;
  if (followed_) changed_.notify_one();
}

void ReadAheadBeacon::close() {
  std::lock_guard lock(mutex_);
  closed_ = true;
  changed_.notify_one();
}

bool ReadAheadBeacon::claim() {
  std::lock_guard lock(mutex_);
  if (closed_ || followed_) return false;
  followed_ = true;
  return true;
}

std::uint64_t ReadAheadBeacon::warmed() {
  std::lock_guard lock(mutex_);
  return warmed_;
}

std::uint64_t ReadAheadBeacon::follow() {
  std::uint64_t generation = 0;  // of the range being warmed; 0: none yet
  std::uint64_t position = 0;    // warmed up to here
  bool failed = false;           // this range cannot be warmed
  std::string path;
  int fd = -1;
  std::unique_lock lock(mutex_);
  followed_ = true;
  auto limit = [&] { return std::min(end_, position_ + kDepth * kWindow); };
  auto wanted = [&] {
    if (closed_) return true;
    if (generation_ == 0) return false;
    return generation_ != generation || (!failed && std::max(position, position_) < limit());
  };
  while (true) {
    changed_.wait(lock, wanted);
    if (closed_) break;
    if (generation_ != generation) {
      if (path_ && *path_ != path) {
        if (fd >= 0) ::close(fd);
        fd = -1;
        path = *path_;
      }
      generation = generation_;
      position = position_;
      failed = false;
    }
    position = std::max(position, position_);
    std::uint64_t at = position;
    std::uint64_t length = std::min(kWindow, limit() - at);
    lock.unlock();
    if (fd < 0) {
      std::string why;  // best effort: a file that cannot be opened is skipped
      fd = open_regular_file(path, why);
    }
    bool ok = fd >= 0 && warm(fd, at, length);
    lock.lock();
    if (ok) {
      warmed_ += length;
      position = std::max(position, at + length);
    } else {
      failed = true;
    }
  }
  std::uint64_t warmed = warmed_;
  lock.unlock();
  if (fd >= 0) ::close(fd);
  return warmed;
}

}  // namespace model_signing::engine
