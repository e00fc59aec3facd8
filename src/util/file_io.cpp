#include "util/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <climits>
#include <cstring>
#include <random>

#include "model_signing/error.h"

namespace model_signing::util {

namespace {

class FdCloser {
 public:
  explicit FdCloser(int fd) : fd_(fd) {}
  ~FdCloser() {
    if (fd_ >= 0) ::close(fd_);
  }
  FdCloser(const FdCloser&) = delete;
  FdCloser& operator=(const FdCloser&) = delete;
  int release() {
    int fd = fd_;
    fd_ = -1;
    return fd;
  }

 private:
  int fd_;
};

[[noreturn]] void throw_io(const std::filesystem::path& path, const std::string& what, int err) {
  throw Error(ErrorKind::kIo, "cannot " + what + " " + path.string() + ": " + std::strerror(err));
}

}  // namespace

int open_path(const std::string& path, int flags, unsigned mode) {
  int fd = ::open(path.c_str(), flags, mode);
  if (fd >= 0 || errno != ENAMETOOLONG) return fd;
  // Open the directories along the way in pieces shorter than PATH_MAX.
  int base = AT_FDCWD;
  std::string_view rest = path;
  auto close_base = [&] {
    if (base == AT_FDCWD) return;
    int saved = errno;
    ::close(base);
    errno = saved;
  };
  while (rest.size() >= PATH_MAX) {
    std::size_t cut = rest.rfind('/', PATH_MAX - 1);
    if (cut == std::string_view::npos || cut == 0) {
      close_base();
      errno = ENAMETOOLONG;  // one component longer than any name
      return -1;
    }
    int next = ::openat(base, std::string(rest.substr(0, cut)).c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC);
    close_base();
    if (next < 0) return -1;
    base = next;
    rest.remove_prefix(cut + 1);
  }
  fd = ::openat(base, std::string(rest).c_str(), flags, mode);
  close_base();
  return fd;
}

std::string read_file(const std::filesystem::path& path, std::size_t max_size) {
  int fd = open_path(path.string(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) throw_io(path, "read", errno);
  FdCloser closer(fd);
  struct stat st;
  if (::fstat(fd, &st) != 0) throw_io(path, "read", errno);
  if (S_ISDIR(st.st_mode)) {
    throw Error(ErrorKind::kIo, "cannot read " + path.string() + ": is a directory");
  }
  if (!S_ISREG(st.st_mode)) {
    throw Error(ErrorKind::kIo, "cannot read " + path.string() + ": not a regular file");
  }
  if (static_cast<std::uint64_t>(st.st_size) > max_size) {
    throw Error(ErrorKind::kIo, "cannot read " + path.string() + ": file too large (" +
                                    std::to_string(st.st_size) + " bytes, the limit is " +
                                    std::to_string(max_size) + ")");
  }
  std::string data;
  data.resize(static_cast<std::size_t>(st.st_size));
  std::size_t done = 0;
  while (true) {
    if (done == data.size()) {
      // The file may have grown since fstat; read until EOF within the limit.
      if (data.size() >= max_size) break;
      data.resize(std::min(max_size, data.size() + 4096));
    }
    ssize_t n = ::read(fd, data.data() + done, data.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      throw_io(path, "read", errno);
    }
    if (n == 0) break;
    done += static_cast<std::size_t>(n);
  }
  data.resize(done);
  return data;
}

void write_file_atomically(const std::filesystem::path& path, std::string_view contents) {
  std::filesystem::path dir = path.parent_path();
  if (dir.empty()) dir = ".";
  std::random_device rd;
  // Built by appending: GCC 12 reports a false -Wrestrict on `"." + string`.
  std::string tmp_name = ".";
  tmp_name.append(path.filename().string());
  tmp_name.append(".tmp-").append(std::to_string(::getpid())).append("-").append(std::to_string(rd()));
  std::filesystem::path tmp = dir / tmp_name;

  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
  if (fd < 0) throw_io(path, "write", errno);
  FdCloser closer(fd);
  auto fail = [&](int err) {
    ::unlink(tmp.c_str());
    throw_io(path, "write", err);
  };
  std::size_t done = 0;
  while (done < contents.size()) {
    ssize_t n = ::write(fd, contents.data() + done, contents.size() - done);
    if (n < 0) {
      if (errno == EINTR) continue;
      fail(errno);
    }
    done += static_cast<std::size_t>(n);
  }
  if (::fsync(fd) != 0) fail(errno);
  if (::close(closer.release()) != 0) fail(errno);
  if (::rename(tmp.c_str(), path.c_str()) != 0) fail(errno);
  // Make the rename itself durable.
  int dfd = ::open(dir.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd >= 0) {
    ::fsync(dfd);
    ::close(dfd);
  }
}

}  // namespace model_signing::util
