#include "errors.h"

#include <pybind11/pybind11.h>

#include <exception>

#include "conversions.h"
#include "model_signing/error.h"

namespace model_signing::python {

namespace {

void raise(const Error& error, const ModelMismatchError* mismatch) {
  py::object exception;
  try {
    py::module_ errors = py::module_::import("model_signing.errors");
    py::dict kwargs;
    if (mismatch) {
      py::dict digests;
      py::list modified;
      for (const auto& m : mismatch->mismatched()) {
        modified.append(to_str(m.name));
        digests[to_str(m.name)] = py::make_tuple(m.expected_hex, m.actual_hex);
      }
      kwargs["extra"] = to_str_list(mismatch->extra());
      kwargs["missing"] = to_str_list(mismatch->missing());
      kwargs["modified"] = modified;
      kwargs["modified_digests"] = digests;
    }
    exception = errors.attr("_from_native")(to_string(error.kind()), to_str(error.what()), **kwargs);
  } catch (py::error_already_set&) {
    // model_signing.errors unavailable: still a ValueError with the message.
    PyErr_SetString(PyExc_ValueError, error.what());
    return;
  }
  PyErr_SetObject(reinterpret_cast<PyObject*>(Py_TYPE(exception.ptr())), exception.ptr());
}

}  // namespace

void register_error_translator() {
  py::register_exception_translator([](std::exception_ptr pointer) {
    if (!pointer) return;
    try {
      std::rethrow_exception(pointer);
    } catch (const ModelMismatchError& e) {
      raise(e, &e);
    } catch (const Error& e) {
      raise(e, nullptr);
    }
  });
}

}  // namespace model_signing::python
