// Conversions between Python values and the library's types, shared by the
// binding files. Paths cross as bytes (os.fsencode on the Python side), so
// any file name the OS accepts round-trips unchanged.
#pragma once

#include <pybind11/pybind11.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model_signing/hashing.h"
#include "model_signing/manifest.h"

namespace model_signing::python {

namespace py = pybind11;

std::filesystem::path to_path(const py::bytes& path);
std::vector<std::filesystem::path> to_paths(const py::list& paths);
// A str (UTF-8) or bytes value as a byte string.
std::string to_bytes_string(const py::handle& value);
// Decodes UTF-8, keeping undecodable bytes as surrogates (as os.fsdecode).
py::str to_str(const std::string& text);
py::list to_str_list(const std::vector<std::string>& texts);

// From the dict hashing.Config builds: serialization, hash, shard_size,
// ignore_paths (list of bytes), ignore_git_paths, allow_symlinks, max_workers.
HashingConfig hashing_config_from(const py::dict& config);

// A Python callable kept alive by C++ code that may copy or drop it without
// holding the GIL: copies share one reference, and the last owner takes the
// GIL to release it. Calls made from C++ take the GIL; an exception raised
// by the callable is kept (and later calls skipped) until rethrow().
class PythonCallback {
 public:
  explicit PythonCallback(py::object callable);
  bool empty() const { return !state_; }

  // Calls it with `args`, taking the GIL here. Does nothing after a failure.
  template <typename... Args>
  void call(Args&&... args) const {
    py::gil_scoped_acquire gil;
    if (!state_ || state_->error) return;
    try {
      state_->callable(std::forward<Args>(args)...);
    } catch (py::error_already_set& e) {
      state_->error = std::move(e);
    }
  }
  // As call(), for a callable returning str, bytes or None (-> nullopt).
  template <typename... Args>
  std::optional<std::string> call_for_string(Args&&... args) const {
    py::gil_scoped_acquire gil;
    if (!state_ || state_->error) return std::nullopt;
    try {
      py::object result = state_->callable(std::forward<Args>(args)...);
      if (result.is_none()) return std::nullopt;
      return to_bytes_string(result);
    } catch (py::error_already_set& e) {
      state_->error = std::move(e);
      return std::nullopt;
    }
  }
  bool failed() const;
  // Raises the kept exception, if any; the GIL must be held.
  void rethrow() const;

 private:
  struct State {
    explicit State(py::object c) : callable(std::move(c)) {}
    py::object callable;
    std::optional<py::error_already_set> error;
    ~State();
  };
  std::shared_ptr<State> state_;
};

// The progress callback for HashingConfig::progress; empty if `callable`
// is None.
ProgressCallback progress_callback(const PythonCallback& callback);

}  // namespace model_signing::python
