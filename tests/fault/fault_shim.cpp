// An LD_PRELOAD library for fault injection (tests/fault/). It stands in
// front of the C library's I/O calls — open, read, pread, mmap, stat and
// fstat, readdir (getdents), readlink, write, fsync, rename, connect,
// send, recv — and identifies each call site by the call and the return
// addresses of the model_signing program's frames on the stack (offsets in
// the executable, so the same across runs).
//
//   MS_FAULT_RECORD=FILE   appends every distinct site seen to FILE, one per
//                          line: "<call> <site key>" (a clean run lists them)
//   MS_FAULT_SITE=KEY      fails the first call at that site with
//   MS_FAULT_ERRNO=N       errno N (once: a retry passes), and appends
//   MS_FAULT_REPORT=FILE   "<call>\t<path or address>\t<errno>" to FILE
//
// Calls made while the shim itself runs, and calls with no frame of the
// program on the stack, pass through untouched.
#include <arpa/inet.h>
#include <dirent.h>
#include <dlfcn.h>
#include <execinfo.h>
#include <fcntl.h>
#include <link.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <string>
#include <unordered_set>

namespace {

thread_local int t_depth = 0;  // > 0 while the shim itself runs

struct Config {
  bool active = false;
  int record_fd = -1;
  std::string site;
  int error = 0;
  int report_fd = -1;
  std::uintptr_t exe_begin = 0, exe_end = 0, exe_base = 0;
};

Config& config();

template <typename Fn>
Fn real(const char* name) {
  return reinterpret_cast<Fn>(::dlsym(RTLD_NEXT, name));
}

using open_fn = int (*)(const char*, int, ...);
using write_fn = ssize_t (*)(int, const void*, size_t);

int real_open(const char* path, int flags, mode_t mode) {
  static auto fn = real<open_fn>("open");
  return fn(path, flags, mode);
}

ssize_t real_write(int fd, const void* data, size_t size) {
  static auto fn = real<write_fn>("write");
  return fn(fd, data, size);
}

void append(int fd, const std::string& line) {
  if (fd < 0) return;
  std::string text = line + "\n";
  real_write(fd, text.data(), text.size());  // O_APPEND: one line at a time
}

Config& config() {
  static Config* c = [] {
    ++t_depth;
    auto* cfg = new Config;
    // The executable's mapping: the first object dl_iterate_phdr reports.
    dl_iterate_phdr(
        [](dl_phdr_info* info, size_t, void* data) {
          auto* cfg = static_cast<Config*>(data);
          cfg->exe_base = info->dlpi_addr;
          for (int i = 0; i < info->dlpi_phnum; ++i) {
            const ElfW(Phdr)& ph = info->dlpi_phdr[i];
            if (ph.p_type != PT_LOAD || !(ph.p_flags & PF_X)) continue;
            std::uintptr_t begin = info->dlpi_addr + ph.p_vaddr;
            if (cfg->exe_begin == 0 || begin < cfg->exe_begin) cfg->exe_begin = begin;
            if (begin + ph.p_memsz > cfg->exe_end) cfg->exe_end = begin + ph.p_memsz;
          }
          return 1;  // the executable only
        },
        cfg);
    if (const char* record = std::getenv("MS_FAULT_RECORD")) {
      cfg->record_fd = real_open(record, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      cfg->active = true;
    }
    const char* site = std::getenv("MS_FAULT_SITE");
    const char* error = std::getenv("MS_FAULT_ERRNO");
    if (site && error) {
      cfg->site = site;
      cfg->error = std::atoi(error);
      if (const char* report = std::getenv("MS_FAULT_REPORT")) {
        cfg->report_fd = real_open(report, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
      }
      cfg->active = true;
    }
    void* warm[4];
    backtrace(warm, 4);  // loads the unwinder now, not inside a call
    --t_depth;
    return cfg;
  }();
  return *c;
}

// The site of the current call: the offsets of up to 8 of the program's
// frames, innermost first. Empty when the program is not on the stack.
std::string site_key() {
  Config& cfg = config();
  void* frames[64];
  int n = backtrace(frames, 64);
  std::string key;
  int kept = 0;
  for (int i = 0; i < n && kept < 8; ++i) {
    auto pc = reinterpret_cast<std::uintptr_t>(frames[i]);
    if (pc < cfg.exe_begin || pc >= cfg.exe_end) continue;
    char buf[24];
    std::snprintf(buf, sizeof buf, "%s%lx", kept ? "," : "", static_cast<unsigned long>(pc - cfg.exe_base));
    key += buf;
    ++kept;
  }
  return key;
}

std::string fd_path(int fd) {
  char link[64], target[4096];
  std::snprintf(link, sizeof link, "/proc/self/fd/%d", fd);
  ssize_t n = ::readlink(link, target, sizeof target - 1);
  if (n <= 0) return "fd " + std::to_string(fd);
  return std::string(target, static_cast<size_t>(n));
}

std::string address_text(const sockaddr* addr) {
  char host[INET6_ADDRSTRLEN] = "?";
  int port = 0;
  if (addr && addr->sa_family == AF_INET) {
    auto* in = reinterpret_cast<const sockaddr_in*>(addr);
    inet_ntop(AF_INET, &in->sin_addr, host, sizeof host);
    port = ntohs(in->sin_port);
  } else if (addr && addr->sa_family == AF_INET6) {
    auto* in6 = reinterpret_cast<const sockaddr_in6*>(addr);
    inet_ntop(AF_INET6, &in6->sin6_addr, host, sizeof host);
    port = ntohs(in6->sin6_port);
  } else {
    return "socket";
  }
  return std::string(host) + ":" + std::to_string(port);
}

// True if this call is to fail (errno is then set). `what` describes the
// file or peer, computed only when needed.
template <typename Describe>
bool should_fail(const char* call, Describe&& what) {
  if (t_depth > 0) return false;
  Config& cfg = config();
  if (!cfg.active) return false;
  int saved = errno;
  ++t_depth;
  bool fail = false;
  std::string key = site_key();
  if (!key.empty()) {
    std::string site = std::string(call) + " " + key;
    if (cfg.record_fd >= 0) {
      static std::mutex mutex;
      static std::unordered_set<std::string> seen;
      std::lock_guard lock(mutex);
      if (seen.insert(site).second) append(cfg.record_fd, site);
    }
    static std::atomic<bool> fired{false};
    if (!cfg.site.empty() && site == cfg.site && !fired.exchange(true)) {
      fail = true;
      append(cfg.report_fd, std::string(call) + "\t" + what() + "\t" + std::to_string(cfg.error));
    }
  }
  --t_depth;
  errno = fail ? cfg.error : saved;
  return fail;
}

}  // namespace

extern "C" {

#define MS_PATH(p) [&] { return std::string(p ? p : "?"); }
#define MS_FD(fd) [&] { return fd_path(fd); }

static mode_t mode_arg(int flags, va_list ap) {
  return (flags & (O_CREAT | O_TMPFILE)) ? static_cast<mode_t>(va_arg(ap, int)) : 0;
}

int open(const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  if (should_fail("open", MS_PATH(path))) return -1;
  return real_open(path, flags, mode);
}

int open64(const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  if (should_fail("open", MS_PATH(path))) return -1;
  static auto fn = real<open_fn>("open64");
  return fn(path, flags, mode);
}

int openat(int dirfd, const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  if (should_fail("open", [&] { return (dirfd == AT_FDCWD ? std::string() : fd_path(dirfd) + "/") + path; })) {
    return -1;
  }
  static auto fn = real<int (*)(int, const char*, int, ...)>("openat");
  return fn(dirfd, path, flags, mode);
}

int openat64(int dirfd, const char* path, int flags, ...) {
  va_list ap;
  va_start(ap, flags);
  mode_t mode = mode_arg(flags, ap);
  va_end(ap);
  if (should_fail("open", [&] { return (dirfd == AT_FDCWD ? std::string() : fd_path(dirfd) + "/") + path; })) {
    return -1;
  }
  static auto fn = real<int (*)(int, const char*, int, ...)>("openat64");
  return fn(dirfd, path, flags, mode);
}

FILE* fopen(const char* path, const char* mode) {
  if (should_fail("open", MS_PATH(path))) return nullptr;
  static auto fn = real<FILE* (*)(const char*, const char*)>("fopen");
  return fn(path, mode);
}

FILE* fopen64(const char* path, const char* mode) {
  if (should_fail("open", MS_PATH(path))) return nullptr;
  static auto fn = real<FILE* (*)(const char*, const char*)>("fopen64");
  return fn(path, mode);
}

ssize_t read(int fd, void* buf, size_t n) {
  if (should_fail("read", MS_FD(fd))) return -1;
  static auto fn = real<ssize_t (*)(int, void*, size_t)>("read");
  return fn(fd, buf, n);
}

ssize_t pread(int fd, void* buf, size_t n, off_t off) {
  if (should_fail("pread", MS_FD(fd))) return -1;
  static auto fn = real<ssize_t (*)(int, void*, size_t, off_t)>("pread");
  return fn(fd, buf, n, off);
}

ssize_t pread64(int fd, void* buf, size_t n, off_t off) {
  if (should_fail("pread", MS_FD(fd))) return -1;
  static auto fn = real<ssize_t (*)(int, void*, size_t, off_t)>("pread64");
  return fn(fd, buf, n, off);
}

void* mmap(void* addr, size_t len, int prot, int flags, int fd, off_t off) {
  if (fd >= 0 && should_fail("mmap", MS_FD(fd))) return MAP_FAILED;
  static auto fn = real<void* (*)(void*, size_t, int, int, int, off_t)>("mmap");
  return fn(addr, len, prot, flags, fd, off);
}

void* mmap64(void* addr, size_t len, int prot, int flags, int fd, off_t off) {
  if (fd >= 0 && should_fail("mmap", MS_FD(fd))) return MAP_FAILED;
  static auto fn = real<void* (*)(void*, size_t, int, int, int, off_t)>("mmap64");
  return fn(addr, len, prot, flags, fd, off);
}

#define MS_STAT_PATH(name, type)                                       \
  int name(const char* path, type* st) {                               \
    if (should_fail("stat", MS_PATH(path))) return -1;                 \
    static auto fn = real<int (*)(const char*, type*)>(#name);         \
    return fn(path, st);                                               \
  }
MS_STAT_PATH(stat, struct stat)
MS_STAT_PATH(stat64, struct stat64)
MS_STAT_PATH(lstat, struct stat)
MS_STAT_PATH(lstat64, struct stat64)

int fstat(int fd, struct stat* st) {
  if (should_fail("fstat", MS_FD(fd))) return -1;
  static auto fn = real<int (*)(int, struct stat*)>("fstat");
  return fn(fd, st);
}

int fstat64(int fd, struct stat64* st) {
  if (should_fail("fstat", MS_FD(fd))) return -1;
  static auto fn = real<int (*)(int, struct stat64*)>("fstat64");
  return fn(fd, st);
}

int fstatat(int dirfd, const char* path, struct stat* st, int flags) {
  if (should_fail("stat", [&] { return (dirfd == AT_FDCWD ? std::string() : fd_path(dirfd) + "/") + path; })) {
    return -1;
  }
  static auto fn = real<int (*)(int, const char*, struct stat*, int)>("fstatat");
  return fn(dirfd, path, st, flags);
}

int fstatat64(int dirfd, const char* path, struct stat64* st, int flags) {
  if (should_fail("stat", [&] { return (dirfd == AT_FDCWD ? std::string() : fd_path(dirfd) + "/") + path; })) {
    return -1;
  }
  static auto fn = real<int (*)(int, const char*, struct stat64*, int)>("fstatat64");
  return fn(dirfd, path, st, flags);
}

int statx(int dirfd, const char* path, int flags, unsigned mask, struct statx* st) {
  if (should_fail("stat", [&] { return (dirfd == AT_FDCWD ? std::string() : fd_path(dirfd) + "/") + path; })) {
    return -1;
  }
  static auto fn = real<int (*)(int, const char*, int, unsigned, struct statx*)>("statx");
  return fn(dirfd, path, flags, mask, st);
}

ssize_t readlink(const char* path, char* buf, size_t size) {
  if (should_fail("readlink", MS_PATH(path))) return -1;
  static auto fn = real<ssize_t (*)(const char*, char*, size_t)>("readlink");
  return fn(path, buf, size);
}

DIR* opendir(const char* path) {
  if (should_fail("opendir", MS_PATH(path))) return nullptr;
  static auto fn = real<DIR* (*)(const char*)>("opendir");
  return fn(path);
}

DIR* fdopendir(int fd) {
  if (should_fail("opendir", MS_FD(fd))) return nullptr;
  static auto fn = real<DIR* (*)(int)>("fdopendir");
  return fn(fd);
}

// readdir() is where directories are read (getdents64 inside the C library).
struct dirent* readdir(DIR* dir) {
  if (should_fail("getdents", [&] { return fd_path(dirfd(dir)); })) return nullptr;
  static auto fn = real<struct dirent* (*)(DIR*)>("readdir");
  return fn(dir);
}

struct dirent64* readdir64(DIR* dir) {
  if (should_fail("getdents", [&] { return fd_path(dirfd(dir)); })) return nullptr;
  static auto fn = real<struct dirent64* (*)(DIR*)>("readdir64");
  return fn(dir);
}

ssize_t write(int fd, const void* buf, size_t n) {
  if (should_fail("write", MS_FD(fd))) return -1;
  return real_write(fd, buf, n);
}

int fsync(int fd) {
  if (should_fail("fsync", MS_FD(fd))) return -1;
  static auto fn = real<int (*)(int)>("fsync");
  return fn(fd);
}

int fdatasync(int fd) {
  if (should_fail("fsync", MS_FD(fd))) return -1;
  static auto fn = real<int (*)(int)>("fdatasync");
  return fn(fd);
}

int rename(const char* from, const char* to) {
  if (should_fail("rename", MS_PATH(to))) return -1;
  static auto fn = real<int (*)(const char*, const char*)>("rename");
  return fn(from, to);
}

int renameat(int fromfd, const char* from, int tofd, const char* to) {
  if (should_fail("rename", MS_PATH(to))) return -1;
  static auto fn = real<int (*)(int, const char*, int, const char*)>("renameat");
  return fn(fromfd, from, tofd, to);
}

int connect(int fd, const struct sockaddr* addr, socklen_t len) {
  if (should_fail("connect", [&] { return address_text(addr); })) return -1;
  static auto fn = real<int (*)(int, const struct sockaddr*, socklen_t)>("connect");
  return fn(fd, addr, len);
}

ssize_t send(int fd, const void* buf, size_t n, int flags) {
  if (should_fail("send", MS_FD(fd))) return -1;
  static auto fn = real<ssize_t (*)(int, const void*, size_t, int)>("send");
  return fn(fd, buf, n, flags);
}

ssize_t sendto(int fd, const void* buf, size_t n, int flags, const struct sockaddr* addr, socklen_t len) {
  if (should_fail("send", MS_FD(fd))) return -1;
  static auto fn = real<ssize_t (*)(int, const void*, size_t, int, const struct sockaddr*, socklen_t)>("sendto");
  return fn(fd, buf, n, flags, addr, len);
}

ssize_t recv(int fd, void* buf, size_t n, int flags) {
  if (should_fail("recv", MS_FD(fd))) return -1;
  static auto fn = real<ssize_t (*)(int, void*, size_t, int)>("recv");
  return fn(fd, buf, n, flags);
}

ssize_t recvfrom(int fd, void* buf, size_t n, int flags, struct sockaddr* addr, socklen_t* len) {
  if (should_fail("recv", MS_FD(fd))) return -1;
  static auto fn = real<ssize_t (*)(int, void*, size_t, int, struct sockaddr*, socklen_t*)>("recvfrom");
  return fn(fd, buf, n, flags, addr, len);
}

}  // extern "C"
