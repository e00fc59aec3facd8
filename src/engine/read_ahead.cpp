#include "engine/read_ahead.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <new>

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

struct FreeBytes {
  void operator()(std::uint8_t* p) const { std::free(p); }
};

}  // namespace

struct ReadAheadBeacon::Slot {
  enum class State { kFree, kReading, kFull, kFailed };
  std::unique_ptr<std::uint8_t, FreeBytes> bytes;  // kSlot + 1 bytes (the end-of-file probe)
  std::uint64_t offset = 0;
  std::size_t length = 0;
  State state = State::kFree;
  std::uint64_t end() const { return offset + length; }
};

// The slots of the range of generation `generation`, from `head` on, in
// file order: `count` of them are being read or full.
struct ReadAheadBeacon::Ring {
  Slot slots[kSlots];
  std::uint64_t generation = 0;
  std::size_t head = 0;
  std::size_t count = 0;
  std::uint64_t next_offset = 0;  // where the next slot starts
  bool failed = false;            // a slot failed: read no further in this range
  Slot& at(std::size_t i) { return slots[(head + i) % kSlots]; }
  void pop() {
    at(0).state = Slot::State::kFree;
    head = (head + 1) % kSlots;
    --count;
  }
};

ReadAheadBeacon::ReadAheadBeacon() = default;
ReadAheadBeacon::~ReadAheadBeacon() = default;

void ReadAheadBeacon::update(const std::string& path, std::uint64_t position, std::uint64_t end,
                             Mode mode, bool ends_file) {
  std::lock_guard lock(mutex_);
  if (&path != path_ || end != end_ || position < position_ || generation_ == 0 ||
      mode != mode_ || ends_file != ends_file_) {
    path_ = &path;
    end_ = end;
    mode_ = mode;
    ends_file_ = ends_file;
    ++generation_;
  }
  position_ = position;
  if (followed_) changed_.notify_one();
}

bool ReadAheadBeacon::followed() {
  std::lock_guard lock(mutex_);
  return followed_ && !closed_;
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
  // Made here, not in follow(): the hasher may take() before the helper's
  // thread has started, and must then wait for it rather than read alone.
  if (!ring_) ring_ = std::make_unique<Ring>();
  return true;
}

std::uint64_t ReadAheadBeacon::warmed() {
  std::lock_guard lock(mutex_);
  return warmed_;
}

ShardView ReadAheadBeacon::take(std::uint64_t offset, std::size_t max_length) {
  std::unique_lock lock(mutex_);
  while (true) {
    if (!followed_ || closed_ || mode_ != Mode::kBuffer || !ring_ || offset >= end_) return {};
    Ring& ring = *ring_;
    if (ring.generation == generation_) {
      // Slots the hasher is past are free for the helper again.
      bool popped = false;
      while (ring.count > 0 && ring.at(0).state != Slot::State::kReading &&
             ring.at(0).end() <= offset) {
        ring.pop();
        popped = true;
      }
      if (popped) changed_.notify_one();
      if (ring.count > 0) {
        Slot& slot = ring.at(0);
        if (slot.offset <= offset && offset < slot.end()) {
          if (slot.state == Slot::State::kFull) {
            std::size_t skip = static_cast<std::size_t>(offset - slot.offset);
            return {slot.bytes.get() + skip, std::min(max_length, slot.length - skip), false};
          }
          if (slot.state == Slot::State::kFailed) return {};
        } else if (slot.state != Slot::State::kReading) {
          // Not where the hasher is: start over from there.
          position_ = offset;
          ++generation_;
          changed_.notify_one();
        }
      } else if (ring.failed) {
        return {};
      } else if (ring.next_offset != offset) {
        position_ = offset;
        ++generation_;
        changed_.notify_one();
      }
    }
    filled_.wait(lock);
  }
}

bool ReadAheadBeacon::helper_wanted(std::uint64_t generation, std::uint64_t position,
                                    bool failed) const {
  if (closed_) return true;
  if (generation_ == 0) return false;
  if (generation_ != generation) return true;
  if (mode_ == Mode::kBuffer) {
    const Ring& ring = *ring_;
    return !ring.failed && ring.count < kSlots && ring.next_offset < end_;
  }
  return !failed && std::max(position, position_) < std::min(end_, position_ + kDepth * kWindow);
}

std::uint64_t ReadAheadBeacon::follow() {
  std::uint64_t generation = 0;  // of the range being read ahead; 0: none yet
  std::uint64_t position = 0;    // kWarm: warmed up to here
  bool failed = false;           // kWarm: this range cannot be warmed
  std::uint64_t advised = 0;     // kBuffer: the kernel was asked to read up to here
  std::string path;
  int fd = -1;
  std::unique_lock lock(mutex_);
  followed_ = true;
  // However this ends, a hasher waiting in take() must not wait for it.
  struct Leave {
    ReadAheadBeacon& beacon;
    std::unique_lock<std::mutex>& lock;
    ~Leave() {
      if (!lock.owns_lock()) lock.lock();
      beacon.closed_ = true;
      beacon.filled_.notify_all();
    }
  } leave{*this, lock};
  if (!ring_) ring_ = std::make_unique<Ring>();
  Ring& ring = *ring_;
  while (true) {
    changed_.wait(lock, [&] { return helper_wanted(generation, position, failed); });
    if (closed_) break;
    if (generation_ != generation) {
      if (path_ && *path_ != path) {
        if (fd >= 0) ::close(fd);
        fd = -1;
        path = *path_;
      }
      generation = generation_;
      position = position_;
      advised = 0;
      failed = false;
      // Start the ring over at the hasher's position (no slot is being read:
      // only this thread reads into them).
      for (Slot& slot : ring.slots) slot.state = Slot::State::kFree;
      ring.generation = generation;
      ring.head = 0;
      ring.count = 0;
      ring.next_offset = position_;
      ring.failed = false;
      filled_.notify_all();
      continue;  // the state may want nothing now
    }
    if (fd < 0) {
      lock.unlock();
      std::string why;  // a file that cannot be opened is left to the hasher
      fd = open_regular_file(path, why);
      if (fd >= 0) ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
      lock.lock();
      if (fd < 0) {
        failed = true;
        ring.failed = true;
        filled_.notify_all();
        continue;
      }
    }
    if (mode_ == Mode::kBuffer) {
      Slot& slot = ring.at(ring.count);
      slot.offset = ring.next_offset;
      slot.length = static_cast<std::size_t>(std::min<std::uint64_t>(kSlot, end_ - slot.offset));
      slot.state = Slot::State::kReading;
      ++ring.count;
      ring.next_offset = slot.end();
      bool expect_eof = ends_file_ && slot.end() == end_;
      const std::uint64_t end = end_;
      lock.unlock();
      std::string why;
      if (!slot.bytes) {
        slot.bytes.reset(static_cast<std::uint8_t*>(std::aligned_alloc(4096, kSlot + 4096)));
        if (!slot.bytes) why = "out of memory";
      }
      if (why.empty()) {
        // Start the kernel reading what comes after, if it is on disk
        // (ShardReader::kAdviseAhead says why so far).
        std::uint64_t from = std::max(advised, slot.end());
        std::uint64_t until = std::min(end, slot.end() + ShardReader::kAdviseAhead);
        if (from < until) {
          ::posix_fadvise(fd, static_cast<off_t>(from), static_cast<off_t>(until - from),
                          POSIX_FADV_WILLNEED);
          advised = until;
        }
        why = pread_exactly(fd, slot.bytes.get(), slot.length, slot.offset, expect_eof);
      }
      lock.lock();
      if (why.empty()) {
        slot.state = Slot::State::kFull;
        warmed_ += slot.length;
      } else {
        slot.state = Slot::State::kFailed;
        ring.failed = true;
      }
      filled_.notify_all();
      continue;
    }
    position = std::max(position, position_);
    std::uint64_t at = position;
    std::uint64_t length = std::min(kWindow, std::min(end_, position_ + kDepth * kWindow) - at);
    lock.unlock();
    bool ok = warm(fd, at, length);
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
