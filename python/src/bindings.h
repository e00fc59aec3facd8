// The parts of the _native module, one per file.
#pragma once

#include <pybind11/pybind11.h>

namespace model_signing::python {

void register_manifest(pybind11::module_& m);
void register_hashing(pybind11::module_& m);
void register_signing(pybind11::module_& m);
void register_verifying(pybind11::module_& m);

}  // namespace model_signing::python
