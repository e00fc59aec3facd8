#include <pybind11/pybind11.h>

#include "bindings.h"
#include "conversions.h"
#include "model_signing/hashing.h"

namespace model_signing::python {

namespace {

// files: None to walk the model, else names relative to the model root.
Manifest hash(const py::bytes& model_path, const py::dict& config, const py::object& files,
               const py::object& progress) {
  HashingConfig hashing = hashing_config_from(config);
  std::filesystem::path model = to_path(model_path);
  std::optional<std::vector<std::string>> names;
  if (!files.is_none()) {
    names.emplace();
    for (const py::handle& f : files) names->push_back(f.cast<std::string>());
  }
  PythonCallback callback(progress);
  hashing.progress = progress_callback(callback);
  Manifest manifest;
  {
    py::gil_scoped_release release;
    manifest = names ? hash_model_files(model, hashing, *names) : hash_model(model, hashing);
  }
  callback.rethrow();
  return manifest;
}

}  // namespace

void register_hashing(py::module_& m) {
  m.def("hash_model", &hash, py::arg("model_path"), py::arg("config"), py::arg("files"),
        py::arg("progress"));
}

}  // namespace model_signing::python
