// model_signing._native: the C++ library under the Python package. The
// public Python API lives in python/model_signing/*.py; this module only
// takes plain values, calls the library with the GIL released, and hands
// plain values back.
#include <pybind11/pybind11.h>

#include "bindings.h"
#include "errors.h"

PYBIND11_MODULE(_native, m) {
  m.doc() = "The model_signing C++ library (internal; use model_signing.hashing, .signing, .verifying).";
  model_signing::python::register_error_translator();
  model_signing::python::register_manifest(m);
  model_signing::python::register_hashing(m);
  model_signing::python::register_signing(m);
  model_signing::python::register_verifying(m);
}
