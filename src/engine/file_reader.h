// Reads byte ranges of model files into a caller-owned buffer.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace model_signing::engine {

// Keeps the most recently used file open so consecutive shards of one file
// do not reopen it.
class FileReader {
 public:
  FileReader() = default;
  ~FileReader();
  FileReader(const FileReader&) = delete;
  FileReader& operator=(const FileReader&) = delete;

  // Calls `consume(data, size)` for consecutive pieces of [offset,
  // offset+length) of `path`, reading at most `buffer_size` bytes at a time
  // into `buffer`. If `expect_eof` is set, also checks the file ends at
  // offset+length. Throws Error(kIo) naming `display_name`.
  void read_range(const std::string& path, const std::string& display_name, std::uint64_t offset,
                  std::uint64_t length, bool expect_eof, std::uint8_t* buffer,
                  std::size_t buffer_size,
                  const std::function<void(const std::uint8_t*, std::size_t)>& consume);

 private:
  int open_file(const std::string& path, const std::string& display_name);

  std::string open_path_;
  int fd_ = -1;
};

}  // namespace model_signing::engine
