// Views of byte ranges of model files, for the hashing engine. A range of a
// large stream (a shard or subtree) is seen through a mapping of the file (a
// window of at most kMapWindow bytes, released before the next one): the
// hash then reads the page cache directly, where copying it out with pread()
// would cost a fifth of the hashing time on some machines. Small ones are read with pread()
// into a buffer of kReadBuffer bytes (a window, when the file cannot be
// mapped). Either way memory stays at one window or buffer per reader.
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

  ShardReader() = default;
  ~ShardReader();
  ShardReader(const ShardReader&) = delete;
  ShardReader& operator=(const ShardReader&) = delete;

  // Whether streams of `length` bytes are read through a mapping.
  static bool maps(std::uint64_t length) { return length > kReadBuffer; }
  // The most a view of such a stream holds.
  static std::size_t view_limit(std::uint64_t stream_length) {
    return maps(stream_length) ? kMapWindow : kReadBuffer;
  }

  // Returns exactly `length` bytes (at most view_limit(stream_length)) at
  // `offset` of `path`, valid until the next call or release(). With
  // `expect_eof`, also checks that the file ends at offset + length. A file
  // that cannot be mapped is read with pread() instead. Throws Error(kIo)
  // naming `display_name`.
  ShardView view(const std::string& path, const std::string& display_name,
                 std::uint64_t stream_length, std::uint64_t offset, std::size_t length,
                 bool expect_eof);
  void release();

 private:
  int open_file(const std::string& path, const std::string& display_name);
  ShardView read(const std::string& display_name, std::uint64_t offset, std::size_t length,
                 bool expect_eof);
  ShardView map(const std::string& display_name, std::uint64_t offset, std::size_t length,
                bool expect_eof);

  struct FreeBuffer {
    void operator()(std::uint8_t* p) const;
  };

  std::string open_path_;
  int fd_ = -1;
  bool mappable_ = true;  // false once mmap() failed for the open file
  std::unique_ptr<std::uint8_t, FreeBuffer> buffer_;
  std::size_t buffer_size_ = 0;  // kReadBuffer, or a window when mmap() failed
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

}  // namespace model_signing::engine
