#include "engine/shard_reader.h"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

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
  fd_ = fd;
  open_path_ = path;
  mappable_ = true;
  advised_ = false;
  return fd_;
}

std::string pread_exactly(int fd, std::uint8_t* out, std::size_t length, std::uint64_t offset,
                          bool expect_eof) {
  // At the end, ask for one byte more: getting it means the file grew, and
  // a read that stops short of it with every other byte in means end of
  // file, which saves a separate probe (one syscall per small file). A short
  // read before that is retried, so only the probe byte is taken on trust.
  const std::size_t wanted = length + (expect_eof ? 1 : 0);
  std::size_t got = 0;
  while (got < wanted) {
    ssize_t n = ::pread(fd, out + got, wanted - got, static_cast<off_t>(offset + got));
    if (n < 0) {
      if (errno == EINTR) continue;
      return std::strerror(errno);
    }
    if (n == 0) break;
    got += static_cast<std::size_t>(n);
    if (got == length && expect_eof) break;
  }
  if (got > length) return "file grew while it was being hashed";
  if (got < length) return "file shrank while it was being hashed";
  return {};
}

ShardView ShardReader::read(const std::string& path, const std::string& display_name,
                            std::uint64_t offset, std::size_t length, bool expect_eof) {
  release();
  open_file(path, display_name);
  if (!buffer_) {
    // A byte more than a view holds, for the end-of-file probe.
    buffer_.reset(static_cast<std::uint8_t*>(std::aligned_alloc(4096, kReadBuffer + 4096)));
    if (!buffer_) throw std::bad_alloc();
  }
  std::string why = pread_exactly(fd_, buffer_.get(), length, offset, expect_eof);
  if (!why.empty()) throw_read_error(display_name, why);
  return {buffer_.get(), length, false};
}

ShardView ShardReader::map(const std::string& path, const std::string& display_name,
                           std::uint64_t offset, std::size_t length, bool expect_eof,
                           bool populate) {
  release();
  open_file(path, display_name);
  if (!mappable_ || length == 0) return {};
  struct stat st;
  if (::fstat(fd_, &st) != 0) throw_read_error(display_name, std::strerror(errno));
  auto size = static_cast<std::uint64_t>(st.st_size);
  if (size < offset + length) throw_read_error(display_name, "file shrank while it was being hashed");
  if (expect_eof && size > offset + length) {
    throw_read_error(display_name, "file grew while it was being hashed");
  }
  std::uint64_t start = offset - offset % page_size();
  std::size_t span = static_cast<std::size_t>(offset - start) + length;
  // MAP_POPULATE sets up the whole window's page tables in one call;
  // without it, each fault maps the pages around it (read_path.h says which
  // is faster where).
  void* p = ::mmap(nullptr, span, PROT_READ, MAP_PRIVATE | (populate ? MAP_POPULATE : 0), fd_,
                   static_cast<off_t>(start));
  if (p == MAP_FAILED) {
    mappable_ = false;  // e.g. a file system without mmap: read it instead
    return {};
  }
  mapping_ = p;
  mapping_size_ = span;
  return {static_cast<const std::uint8_t*>(p) + (offset - start), length, true};
}

void ShardReader::advise(const std::string& path, const std::string& display_name,
                         std::uint64_t offset, std::uint64_t length) {
  if (length == 0) return;
  open_file(path, display_name);
  if (!advised_) {
    // A larger read-ahead window for the reads to come (not worth a system
    // call for small files, which never get here).
    ::posix_fadvise(fd_, 0, 0, POSIX_FADV_SEQUENTIAL);
    advised_ = true;
  }
  ::posix_fadvise(fd_, static_cast<off_t>(offset), static_cast<off_t>(length), POSIX_FADV_WILLNEED);
}

}  // namespace model_signing::engine
