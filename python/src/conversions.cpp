#include "conversions.h"

namespace model_signing::python {

std::filesystem::path to_path(const py::bytes& path) {
  return std::filesystem::path(static_cast<std::string>(path));
}

std::vector<std::filesystem::path> to_paths(const py::list& paths) {
  std::vector<std::filesystem::path> out;
  out.reserve(paths.size());
  for (const py::handle& p : paths) out.push_back(to_path(p.cast<py::bytes>()));
  return out;
}

std::string to_bytes_string(const py::handle& value) {
  if (py::isinstance<py::bytes>(value)) return value.cast<std::string>();
  return py::str(value).cast<std::string>();
}

py::str to_str(const std::string& text) {
  PyObject* decoded =
      PyUnicode_DecodeUTF8(text.data(), static_cast<Py_ssize_t>(text.size()), "surrogateescape");
  if (!decoded) throw py::error_already_set();
  return py::reinterpret_steal<py::str>(decoded);
}

py::list to_str_list(const std::vector<std::string>& texts) {
  py::list out;
  for (const auto& t : texts) out.append(to_str(t));
  return out;
}

HashingConfig hashing_config_from(const py::dict& config) {
  HashingConfig h;
  h.serialization = parse_serialization(config["serialization"].cast<std::string>());
  h.hash = parse_hash_algorithm(config["hash"].cast<std::string>());
  h.shard_size = config["shard_size"].cast<std::uint64_t>();
  h.ignore_paths = to_paths(config["ignore_paths"].cast<py::list>());
  h.ignore_git_paths = config["ignore_git_paths"].cast<bool>();
  h.allow_symlinks = config["allow_symlinks"].cast<bool>();
  h.max_workers = config["max_workers"].cast<unsigned>();
  return h;
}

PythonCallback::PythonCallback(py::object callable) {
  if (!callable.is_none()) state_ = std::make_shared<State>(std::move(callable));
}

PythonCallback::State::~State() {
  py::gil_scoped_acquire gil;
  callable = py::object();
  error.reset();
}

bool PythonCallback::failed() const {
  py::gil_scoped_acquire gil;
  return state_ && state_->error.has_value();
}

void PythonCallback::rethrow() const {
  if (state_ && state_->error) {
    py::error_already_set error = std::move(*state_->error);
    state_->error.reset();
    throw error;
  }
}

ProgressCallback progress_callback(const PythonCallback& callback) {
  if (callback.empty()) return {};
  return [callback](std::uint64_t done, std::uint64_t total) { callback.call(done, total); };
}

}  // namespace model_signing::python
