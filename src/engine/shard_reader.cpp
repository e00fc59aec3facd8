#include "engine/shard_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <new>

#include "model_signing/error.h"
#include "util/file_io.h"
#include "walk/model_walk.h"

namespace model_signing::engine {

std::size_t page_size() {
  static const std::size_t size = [] {
    long n = ::sysconf(_SC_PAGESIZE);
    return n > 0 ? static_cast<std::size_t>(n) : std::size_t{4096};
  }();
  return size;
}

int open_regular_file(const std::string& path, std::string& why) {
  // O_NONBLOCK: if a FIFO was swapped in after the walk, do not hang on it.
  int fd = util::open_path(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) {
    why = std::strerror(errno);
    return -1;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    why = std::strerror(errno);
    ::close(fd);
    return -1;
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    why = "no longer a regular file";
    return -1;
  }
  return fd;
}

void throw_read_error(const std::string& display_name, const std::string& why) {
  throw Error(ErrorKind::kIo, "cannot read " + walk::printable_name(display_name) + ": " + why);
}

void ShardReader::FreeBuffer::operator()(std::uint8_t* p) const { std::free(p); }

ShardReader::~ShardReader() {
  release();
  if (fd_ >= 0) ::close(fd_);
}

void ShardReader::release() {
  if (mapping_) ::munmap(mapping_, mapping_size_);
  mapping_ = nullptr;
  mapping_size_ = 0;
}

int ShardReader::open_file(const std::string& path, const std::string& display_name) {
  if (fd_ >= 0 && open_path_ == path) return fd_;
  release();
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  std::string why;
  int fd = open_regular_file(path, why);
  if (fd < 0) throw_read_error(display_name, why);
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  fd_ = fd;
  open_path_ = path;
  mappable_ = true;
  return fd_;
}

ShardView ShardReader::view(const std::string& path, const std::string& display_name,
                            std::uint64_t stream_length, std::uint64_t offset, std::size_t length,
                            bool expect_eof) {
  release();
  open_file(path, display_name);
  if (length > 0 && maps(stream_length) && mappable_) {
    ShardView v = map(display_name, offset, length, expect_eof);
    if (v.data) return v;
  }
  return read(display_name, offset, length, expect_eof);
}

ShardView ShardReader::read(const std::string& display_name, std::uint64_t offset,
                            std::size_t length, bool expect_eof) {
  // A window meant for a mapping (up to kMapWindow) is read here when the
  // file could not be mapped: the buffer grows to hold it.
  std::size_t capacity = std::max(kReadBuffer, (length + 4095) / 4096 * 4096);
  if (!buffer_ || buffer_size_ < capacity) {
    buffer_.reset(static_cast<std::uint8_t*>(std::aligned_alloc(4096, capacity)));
    if (!buffer_) throw std::bad_alloc();
    buffer_size_ = capacity;
  }
  std::uint8_t* buffer = buffer_.get();
  std::size_t got = 0;
  bool eof_checked = !expect_eof;
  // pread() may deliver a window of a large file in several reads.
  while (got < length || !eof_checked) {
    std::size_t want = length - got;
    std::size_t room = buffer_size_ - got;
    // At the end, ask for one byte more: getting it means the file grew, and
    // a short read of a regular file means end of file, which saves a
    // separate probe (one syscall per small file).
    bool probe = expect_eof && want < room;
    std::uint8_t extra;
    ssize_t n;
    if (want == 0) {
      n = ::pread(fd_, &extra, 1, static_cast<off_t>(offset + got));
    } else {
      n = ::pread(fd_, buffer + got, want + (probe ? 1 : 0), static_cast<off_t>(offset + got));
    }
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_read_error(display_name, std::strerror(errno));
    }
    auto count = static_cast<std::size_t>(n);
    if (count > want) throw_read_error(display_name, "file grew while it was being hashed");
    if (count == 0 && want > 0) throw_read_error(display_name, "file shrank while it was being hashed");
    if (count == want && (probe || want == 0)) eof_checked = true;
    got += count;
  }
  return {buffer, length, false};
}

ShardView ShardReader::map(const std::string& display_name, std::uint64_t offset,
                           std::size_t length, bool expect_eof) {
  struct stat st;
  if (::fstat(fd_, &st) != 0) throw_read_error(display_name, std::strerror(errno));
  auto size = static_cast<std::uint64_t>(st.st_size);
  if (size < offset + length) throw_read_error(display_name, "file shrank while it was being hashed");
  if (expect_eof && size > offset + length) {
    throw_read_error(display_name, "file grew while it was being hashed");
  }
  std::uint64_t start = offset - offset % page_size();
  std::size_t span = static_cast<std::size_t>(offset - start) + length;
  // MAP_POPULATE sets up the whole window's page tables in one call, which
  // is much cheaper than a fault per page.
  void* p = ::mmap(nullptr, span, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd_,
                   static_cast<off_t>(start));
  if (p == MAP_FAILED) {
    mappable_ = false;  // e.g. a file system without mmap: read it instead
    return {};
  }
  mapping_ = p;
  mapping_size_ = span;
  return {static_cast<const std::uint8_t*>(p) + (offset - start), length, true};
}

}  // namespace model_signing::engine
