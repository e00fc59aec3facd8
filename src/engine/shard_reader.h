// Views of byte ranges of model files, for the hashing engine, read one of
// the ways engine/read_path.h lists (and says how the engine picks):
// pread() into a buffer of kReadBuffer bytes the reader reuses, or a
// mapping of the file (a window of at most kMapWindow bytes, released before
// the next one) hashed in place, its pages mapped as they are touched or
// all at once. Streams of at most kReadBuffer bytes (most small files) are
// always one pread(). Memory stays at one window or buffer per reader.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

namespace model_signing::engine {

struct ShardView {
  const std::uint8_t* data = nullptr;
  std::size_t size = 0;
  bool mapped = false;  // touching it may raise SIGBUS: hash it under run_guarded()
};

class ShardReader {
 public:
  // 8 MiB windows hashed a lone 4 GiB file about 1.3% faster than 4 MiB ones
  // (fewer mmap/munmap calls); with several workers the engine's scheduling
  // slices (4 MiB) make them shorter.
  static constexpr std::size_t kMapWindow = std::size_t{8} << 20;
  static constexpr std::size_t kReadBuffer = std::size_t{256} << 10;
  // How far ahead of a stream the kernel is asked to read (advise()): on a
  // disk that needs many requests in flight (this VM's read 2 GiB cold in
  // 5.4 s with one 1 MiB read at a time, 1.4 s with 64 MiB asked for ahead),
  // enough to keep it busy while the bytes before are hashed. Only the page
  // cache holds them, which any read would have filled anyway.
  static constexpr std::uint64_t kAdviseAhead = std::uint64_t{64} << 20;

  ShardReader() = default;
  ~ShardReader();
  ShardReader(const ShardReader&) = delete;
  ShardReader& operator=(const ShardReader&) = delete;

  // Whether a stream of `length` bytes has a choice of read path (longer
  // ones do); shorter ones are read with pread().
  static bool chooses(std::uint64_t length) { return length > kReadBuffer; }

  // Exactly `length` (<= kReadBuffer) bytes at `offset` of `path` read with
  // pread(), valid until the next call or release(). With `expect_eof`,
  // also checks that the file ends at offset + length. Throws Error(kIo)
  // naming `display_name`.
  ShardView read(const std::string& path, const std::string& display_name, std::uint64_t offset,
                 std::size_t length, bool expect_eof);
  // The same through a mapping (`length` <= kMapWindow), with its page
  // tables set up before it returns if `populate`. Returns an empty view
  // (data null) if the file cannot be mapped (then read() it).
  ShardView map(const std::string& path, const std::string& display_name, std::uint64_t offset,
                std::size_t length, bool expect_eof, bool populate = true);
  // Asks the kernel to start reading [offset, offset + length) of `path`,
  // without waiting: a file not in the page cache is then read while the
  // bytes before it are hashed. The first call for a file also asks for
  // sequential read-ahead. Throws Error(kIo) like read().
  void advise(const std::string& path, const std::string& display_name, std::uint64_t offset,
              std::uint64_t length);
  void release();

 private:
  int open_file(const std::string& path, const std::string& display_name);

  struct FreeBuffer {
    void operator()(std::uint8_t* p) const;
  };

  std::string open_path_;
  int fd_ = -1;
  bool mappable_ = true;  // false once mmap() failed for the open file
  bool advised_ = false;  // advise() was called for the open file
  std::unique_ptr<std::uint8_t, FreeBuffer> buffer_;
  void* mapping_ = nullptr;
  std::size_t mapping_size_ = 0;
};

[[noreturn]] void throw_read_error(const std::string& display_name, const std::string& why);

// The system's page size: mappings start at multiples of it.
std::size_t page_size();

// Opens `path` read-only, without blocking on a FIFO swapped in after the
// walk. Returns -1 with `why` set (the errno text, or "no longer a regular
// file") if it cannot be opened or is not a regular file.
int open_regular_file(const std::string& path, std::string& why);

// Reads exactly `length` bytes at `offset` of `fd` into `out`, retrying
// short reads. With `expect_eof`, also checks that the file ends there, by
// asking for one byte more (`out` must have room for it). Returns an empty
// string, or why it failed ("file shrank while it was being hashed", "file
// grew while it was being hashed", or the errno text).
std::string pread_exactly(int fd, std::uint8_t* out, std::size_t length, std::uint64_t offset,
                          bool expect_eof);

}  // namespace model_signing::engine
