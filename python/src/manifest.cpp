// The library's Manifest as an opaque Python object: hashing 20,000 files
// hands Python one object, not 20,000 tuples. model_signing.manifest asks
// it for items only when they are looked at.
#include <pybind11/pybind11.h>

#include "bindings.h"
#include "conversions.h"
#include "model_signing/manifest.h"

namespace model_signing::python {

namespace {

py::dict serialization(const Manifest& manifest) {
  const SerializationSpec& spec = manifest.serialization();
  py::dict out;
  out["method"] = std::string(to_string(spec.method));
  out["hash_type"] = std::string(to_string(spec.hash));
  if (spec.method == Serialization::kShards) out["shard_size"] = spec.shard_size;
  out["allow_symlinks"] = spec.allow_symlinks;
  out["ignore_paths"] = to_str_list(spec.ignore_paths);
  return out;
}

// [(path, start, end, digest bytes)]; start and end None for whole files.
py::list items(const Manifest& manifest) {
  py::list out;
  for (const ManifestItem& item : manifest.items()) {
    py::object start = item.start ? py::object(py::int_(*item.start)) : py::object(py::none());
    py::object end = item.end ? py::object(py::int_(*item.end)) : py::object(py::none());
    py::bytes digest(reinterpret_cast<const char*>(item.digest.data()), item.digest.size());
    out.append(py::make_tuple(to_str(item.path), start, end, digest));
  }
  return out;
}

std::vector<ManifestItem> sorted_items(const Manifest& manifest) {
  std::vector<ManifestItem> items = manifest.items();
  sort_upstream(items);
  return items;
}

// Same resources with the same digests, in any order (signatures may list
// them in any order).
bool same_items(const Manifest& a, const Manifest& b) {
  if (a.items().size() != b.items().size()) return false;
  if (a.serialization().resource_algorithm() != b.serialization().resource_algorithm()) {
    return false;
  }
  return sorted_items(a) == sorted_items(b);
}

py::bytes root_digest(const Manifest& manifest) {
  Manifest sorted(manifest.model_name(), manifest.serialization(), sorted_items(manifest));
  Digest digest = sorted.root_digest();
  return py::bytes(reinterpret_cast<const char*>(digest.data()), digest.size());
}

}  // namespace

void register_manifest(py::module_& m) {
  py::class_<Manifest>(m, "Manifest")
      .def_property_readonly("model_name", [](const Manifest& x) { return to_str(x.model_name()); })
      .def_property_readonly("serialization", &serialization)
      .def_property_readonly("algorithm",
                             [](const Manifest& x) { return x.serialization().resource_algorithm(); })
      .def("__len__", [](const Manifest& x) { return x.items().size(); })
      .def("items", &items)
      .def("same_items", &same_items)
      .def("root_digest", &root_digest);
}

}  // namespace model_signing::python
