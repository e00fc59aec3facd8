#include "engine/file_reader.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "model_signing/error.h"
#include "walk/model_walk.h"

namespace model_signing::engine {

namespace {

[[noreturn]] void read_error(const std::string& name, const std::string& why) {
  throw Error(ErrorKind::kIo, "cannot read " + walk::printable_name(name) + ": " + why);
}

}  // namespace

FileReader::~FileReader() {
  if (fd_ >= 0) ::close(fd_);
}

int FileReader::open_file(const std::string& path, const std::string& display_name) {
  if (fd_ >= 0 && open_path_ == path) return fd_;
  if (fd_ >= 0) ::close(fd_);
  fd_ = -1;
  // O_NONBLOCK: if a FIFO was swapped in after the walk, do not hang on it.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
  if (fd < 0) read_error(display_name, std::strerror(errno));
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    read_error(display_name, "no longer a regular file");
  }
  ::posix_fadvise(fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  fd_ = fd;
  open_path_ = path;
  return fd_;
}

void FileReader::read_range(const std::string& path, const std::string& display_name,
                            std::uint64_t offset, std::uint64_t length, bool expect_eof,
                            std::uint8_t* buffer, std::size_t buffer_size,
                            const std::function<void(const std::uint8_t*, std::size_t)>& consume) {
  int fd = open_file(path, display_name);
  std::uint64_t remaining = length;
  std::uint64_t pos = offset;
  bool eof_checked = !expect_eof;
  while (remaining > 0 || !eof_checked) {
    std::size_t want = remaining < buffer_size ? static_cast<std::size_t>(remaining) : buffer_size;
    // On the last piece ask for one byte more: getting it means the file grew,
    // and a short read of a regular file means end of file, which saves a
    // separate probe (one syscall per small file).
    bool probe = expect_eof && remaining < buffer_size;
    ssize_t n = ::pread(fd, buffer, want + (probe ? 1 : 0), static_cast<off_t>(pos));
    if (n < 0) {
      if (errno == EINTR) continue;
      read_error(display_name, std::strerror(errno));
    }
    if (probe && static_cast<std::size_t>(n) > want) {
      read_error(display_name, "file grew while it was being hashed");
    }
    if (n == 0 && remaining > 0) read_error(display_name, "file shrank while it was being hashed");
    if (probe && static_cast<std::size_t>(n) == want) eof_checked = true;
    if (n > 0) consume(buffer, static_cast<std::size_t>(n));
    pos += static_cast<std::uint64_t>(n);
    remaining -= static_cast<std::uint64_t>(n);
  }
}

}  // namespace model_signing::engine
