#include "walk/model_walk.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>

#include "model_signing/error.h"
#include "util/encoding.h"
#include "util/file_io.h"
#include "walk/chunk_pool.h"

namespace model_signing::walk {

namespace {

struct DirCloser {
  void operator()(DIR* d) const { ::closedir(d); }
};
using DirPtr = std::unique_ptr<DIR, DirCloser>;

std::int64_t mtime_ns(const struct stat& st) {
  return static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
}

const char* special_kind(mode_t mode) {
  if (S_ISFIFO(mode)) return "a FIFO";
  if (S_ISSOCK(mode)) return "a socket";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  return "not a regular file";
}

[[noreturn]] void layout_error(const std::string& message, Remedy remedy = Remedy::kNone) {
  throw Error(ErrorKind::kModelLayout, message, remedy);
}

[[noreturn]] void io_error(const std::string& path, int err) {
  throw Error(ErrorKind::kIo, "cannot read " + printable_name(path) + ": " + std::strerror(err));
}

std::string join(const std::string& dir, const std::string& name) {
  if (dir.empty()) return name;
  if (dir.back() == '/') return dir + name;
  return dir + "/" + name;
}

class TreeWalker {
 public:
  TreeWalker(std::string root, const WalkOptions& options) : root_(std::move(root)), options_(options) {}

  ModelTree run() {
    std::vector<std::string> pending{""};
    while (!pending.empty()) {
      std::string rel = std::move(pending.back());
      pending.pop_back();
      walk_directory(rel, pending);
    }
    return std::move(tree_);
  }

 private:
  // An entry of the directory being walked, with what fstatat() said of it
  // (not asked for one that readdir() already calls a directory).
  struct Entry {
    std::string name;
    std::string rel;
    unsigned char d_type = DT_UNKNOWN;
    int err = 0;  // errno of fstatat(), or 0
    struct stat st {};
  };

  void walk_directory(const std::string& rel_dir, std::vector<std::string>& pending) {
    std::string dir_path = rel_dir.empty() ? root_ : join(root_, rel_dir);
    // Paths longer than PATH_MAX are opened piece by piece.
    int fd = util::open_path(dir_path, O_RDONLY | O_DIRECTORY | O_CLOEXEC | (rel_dir.empty() ? 0 : O_NOFOLLOW));
    if (fd < 0) io_error(dir_path, errno);
    DirPtr dir(::fdopendir(fd));
    if (!dir) {
      int err = errno;
      ::close(fd);
      io_error(dir_path, err);
    }
    std::vector<Entry> entries;
    while (true) {
      errno = 0;
      struct dirent* entry = ::readdir(dir.get());
      if (!entry) {
        if (errno != 0) io_error(dir_path, errno);
        break;
      }
      std::string name = entry->d_name;
      if (name == "." || name == "..") continue;
      std::string rel = rel_dir.empty() ? name : rel_dir + "/" + name;
      if (options_.ignore.is_ignored(rel)) continue;
      entries.push_back({std::move(name), std::move(rel), entry->d_type});
    }
    stat_entries(::dirfd(dir.get()), entries);
    for (Entry& entry : entries) {
      std::string full = join(root_, entry.rel);
      if (!util::is_valid_utf8(entry.name)) {
        layout_error("file name is not valid UTF-8: " + printable_name(full));
      }
      visit(::dirfd(dir.get()), entry, full, pending);
    }
  }

  // Stats the entries that need it. In a large directory, threads share
  // the work (each fstatat() is a system call of a few microseconds, and a
  // model of many small files spends more time here than in hashing them);
  // the results are then visited in order, as if stat'ed one by one.
  void stat_entries(int dirfd, std::vector<Entry>& entries) {
    constexpr std::size_t kChunk = 32;  // entries a thread takes at a time
    auto stat_chunk = [&](std::size_t chunk) {
      std::size_t end = std::min((chunk + 1) * kChunk, entries.size());
      for (std::size_t i = chunk * kChunk; i < end; ++i) {
        Entry& e = entries[i];
        if (e.d_type == DT_DIR) continue;
        if (::fstatat(dirfd, e.name.c_str(), &e.st, AT_SYMLINK_NOFOLLOW) != 0) e.err = errno;
      }
    };
    std::size_t chunks = (entries.size() + kChunk - 1) / kChunk;
    if (options_.threads <= 1 || chunks < 4) {
      for (std::size_t c = 0; c < chunks; ++c) stat_chunk(c);
      return;
    }
    if (!pool_) pool_ = std::make_unique<ChunkPool>(options_.threads - 1);
    pool_->run(chunks, stat_chunk);
  }

  void visit(int dirfd, const Entry& entry, const std::string& full,
             std::vector<std::string>& pending) {
    if (entry.d_type == DT_DIR) {
      pending.push_back(entry.rel);
      return;
    }
    if (entry.err != 0) io_error(full, entry.err);
    const struct stat& st = entry.st;
    if (S_ISDIR(st.st_mode)) {
      pending.push_back(entry.rel);
    } else if (S_ISREG(st.st_mode)) {
      tree_.files.push_back({entry.rel, full, static_cast<std::uint64_t>(st.st_size), mtime_ns(st)});
    } else if (S_ISLNK(st.st_mode)) {
      visit_symlink(dirfd, entry.name, entry.rel, full);
    } else {
      layout_error("model contains " + std::string(special_kind(st.st_mode)) + ": " +
                   printable_name(full));
    }
  }

  void visit_symlink(int dirfd, const std::string& name, const std::string& rel,
                     const std::string& full) {
    if (!options_.allow_symlinks) {
      layout_error("model contains a symbolic link: " + printable_name(full) +
                   " (symlinks are rejected unless allowed)",
                   Remedy::kAllowSymlinks);
    }
    struct stat target;
    if (::fstatat(dirfd, name.c_str(), &target, 0) != 0) {
      if (errno == ENOENT || errno == ELOOP || errno == ENOTDIR) {
        layout_error("broken symbolic link in model: " + printable_name(full));
      }
      io_error(full, errno);
    }
    if (!S_ISDIR(target.st_mode) && !S_ISREG(target.st_mode)) {
      layout_error("symbolic link in model points to " + std::string(special_kind(target.st_mode)) +
                   ": " + printable_name(full));
    }
    warn_about_symlink(dirfd, name, rel, S_ISDIR(target.st_mode));
    if (S_ISDIR(target.st_mode)) return;  // linked directories are not descended
    tree_.files.push_back({rel, full, static_cast<std::uint64_t>(target.st_size), mtime_ns(target)});
  }

  // OMS 6.1.1: a link whose target lies outside the model, or that leads
  // back to a directory containing it (a cycle), is reported. A link to
  // any other directory is reported too: what lies under it is not signed.
  void warn_about_symlink(int dirfd, const std::string& name, const std::string& rel, bool is_dir) {
    namespace fs = std::filesystem;
    std::string link = "symbolic link " + printable_name(rel);
    std::error_code ec;
    if (canonical_root_.empty()) canonical_root_ = fs::canonical(root_, ec);
    // Through the directory's fd: the link's full path may exceed PATH_MAX.
    fs::path target = fs::canonical("/proc/self/fd/" + std::to_string(dirfd) + "/" + name, ec);
    if (ec || canonical_root_.empty()) {
      tree_.warnings.push_back(link + ": cannot tell where it leads (" + ec.message() + ")");
      return;
    }
    auto inside = [](const fs::path& path, const fs::path& dir) {
      auto p = path.begin();
      for (auto d = dir.begin(); d != dir.end(); ++d, ++p) {
        if (p == path.end() || *p != *d) return false;
      }
      return true;
    };
    std::string shown = printable_name(target.string());
    std::string parent_rel = rel.find('/') == std::string::npos ? "" : rel.substr(0, rel.rfind('/'));
    fs::path parent = parent_rel.empty() ? canonical_root_ : canonical_root_ / parent_rel;
    if (is_dir && inside(parent, target)) {
      tree_.warnings.push_back(link + " points to " + shown +
                               ", a directory that contains it (a cycle); not followed");
    } else if (!inside(target, canonical_root_)) {
      tree_.warnings.push_back(link + " points outside the model, to " + shown +
                               (is_dir ? "; linked directories are not followed"
                                       : "; its content is signed under the link's name"));
    } else if (is_dir) {
      tree_.warnings.push_back(link + " points to a directory (" + shown +
                               "); linked directories are not followed");
    }
  }

  std::string root_;
  std::unique_ptr<ChunkPool> pool_;  // at the first large directory
  std::filesystem::path canonical_root_;  // found at the first symbolic link
  const WalkOptions& options_;
  ModelTree tree_;
};

}  // namespace

std::string model_name(const std::filesystem::path& model_path) {
  std::filesystem::path name = model_path.filename();
  if (name.empty() || name == "." || name == "..") {
    std::error_code ec;
    std::filesystem::path resolved = std::filesystem::weakly_canonical(model_path, ec);
    if (!ec) name = resolved.filename();
  }
  return name.string();
}

std::string printable_name(std::string_view name) {
  // A name of thousands of bytes (a deep tree) keeps its start and its end.
  constexpr std::size_t kHead = 96, kTail = 320;
  if (name.size() <= kHead + kTail + 16) return util::printable(name);
  auto boundary = [&](std::size_t cut) {
    while (cut > 0 && (static_cast<unsigned char>(name[cut]) & 0xc0) == 0x80) --cut;
    return cut;
  };
  std::size_t head = boundary(kHead);
  std::size_t tail = boundary(name.size() - kTail);
  return util::printable(name.substr(0, head)) + "...(" + std::to_string(tail - head) + " bytes)..." +
         util::printable(name.substr(tail));
}

ModelTree walk_model(const std::filesystem::path& model_path, const WalkOptions& options) {
  std::string root = model_path.string();
  struct stat st;
  if (::stat(root.c_str(), &st) != 0) {
    if (errno == ENOENT) {
      throw Error(ErrorKind::kIo, "model path does not exist: " + printable_name(root));
    }
    io_error(root, errno);
  }
  if (S_ISREG(st.st_mode)) {
    ModelTree tree;
    tree.single_file = true;
    std::string name =
        options.single_file_name == SingleFileName::kDot ? "." : model_name(model_path);
    if (!util::is_valid_utf8(name)) {
      layout_error("file name is not valid UTF-8: " + printable_name(root));
    }
    tree.files.push_back({name, root, static_cast<std::uint64_t>(st.st_size), mtime_ns(st)});
    return tree;
  }
  if (!S_ISDIR(st.st_mode)) {
    layout_error("model path is " + std::string(special_kind(st.st_mode)) + ": " +
                 printable_name(root));
  }
  return TreeWalker(root, options).run();
}

ModelTree resolve_named_files(const std::filesystem::path& model_path,
                              const std::vector<std::string>& names, bool allow_symlinks,
                              std::vector<std::string>& missing) {
  std::string root = model_path.string();
  struct stat root_st;
  if (::stat(root.c_str(), &root_st) != 0) {
    if (errno == ENOENT) {
      throw Error(ErrorKind::kIo, "model path does not exist: " + printable_name(root));
    }
    io_error(root, errno);
  }
  ModelTree tree;
  if (S_ISREG(root_st.st_mode)) {
    // A single-file model: "." or the file's own name denote it (hashed
    // once, however many names a signature lists); any other name is a
    // file that is not there.
    tree.single_file = true;
    std::string own_name = model_name(model_path);
    for (const auto& name : names) {
      if ((name == "." || name == own_name) && tree.files.empty()) {
        tree.files.push_back({name, root, static_cast<std::uint64_t>(root_st.st_size), mtime_ns(root_st)});
      } else if (name != "." && name != own_name) {
        missing.push_back(name);
      }
    }
    return tree;
  }
  if (!S_ISDIR(root_st.st_mode)) {
    layout_error("model path is " + std::string(special_kind(root_st.st_mode)) + ": " +
                 printable_name(root));
  }
  std::error_code ec;
  std::filesystem::path canonical_root = std::filesystem::canonical(model_path, ec);
  if (ec) io_error(root, ec.value());

  for (const auto& name : names) {
    auto unsafe = [&](const char* why) {
      return Error(ErrorKind::kMalformedBundle,
                   "unsafe file name in signature '" + printable_name(name) + "': " + why);
    };
    if (name.empty()) throw unsafe("empty name");
    if (name.front() == '/') throw unsafe("absolute path");
    if (name.find('\0') != std::string::npos) throw unsafe("NUL byte");
    // The whole name is checked before anything is opened: a missing first
    // directory must not hide a ".." further on.
    for (std::size_t start = 0;;) {
      std::size_t slash = name.find('/', start);
      std::string_view component(name.data() + start,
                                 (slash == std::string::npos ? name.size() : slash) - start);
      if (component == "..") throw unsafe("'..' component");
      if (component.empty() || component == ".") throw unsafe("empty or '.' component");
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    // Open intermediate directories without following symlinks.
    int dirfd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (dirfd < 0) io_error(root, errno);
    std::size_t pos = 0;
    bool is_missing = false;
    struct stat st {};
    while (true) {
      std::size_t slash = name.find('/', pos);
      std::string component = name.substr(pos, slash == std::string::npos ? std::string::npos
                                                                           : slash - pos);
      if (slash == std::string::npos) {
        if (::fstatat(dirfd, component.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
          int err = errno;
          ::close(dirfd);
          if (err == ENOENT) {
            is_missing = true;
            break;
          }
          io_error(join(root, name), err);
        }
        break;
      }
      int next = ::openat(dirfd, component.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
      int err = errno;
      ::close(dirfd);
      if (next < 0) {
        if (err == ENOENT) {
          is_missing = true;
          break;
        }
        if (err == ELOOP || err == ENOTDIR) {
          throw unsafe("a parent directory is a symbolic link or not a directory");
        }
        io_error(join(root, name), err);
      }
      dirfd = next;
      pos = slash + 1;
    }
    if (is_missing) {
      missing.push_back(name);
      continue;
    }
    ::close(dirfd);
    std::string full = join(root, name);
    if (S_ISLNK(st.st_mode)) {
      if (!allow_symlinks) {
        layout_error("model contains a symbolic link: " + printable_name(full) +
                     " (symlinks are rejected unless allowed)",
                   Remedy::kAllowSymlinks);
      }
      std::filesystem::path target = std::filesystem::canonical(full, ec);
      if (ec) layout_error("broken symbolic link in model: " + printable_name(full));
      auto rel = target.lexically_relative(canonical_root);
      if (rel.empty() || *rel.begin() == "..") {
        throw unsafe("symbolic link resolves outside the model");
      }
      if (::stat(full.c_str(), &st) != 0) io_error(full, errno);
    }
    if (!S_ISREG(st.st_mode)) {
      if (S_ISDIR(st.st_mode)) {
        layout_error("signed file is a directory in the model: " + printable_name(full));
      }
      layout_error("model contains " + std::string(special_kind(st.st_mode)) + ": " +
                   printable_name(full));
    }
    tree.files.push_back({name, full, static_cast<std::uint64_t>(st.st_size), mtime_ns(st)});
  }
  return tree;
}

}  // namespace model_signing::walk
