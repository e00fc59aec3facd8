// Library errors raised as the exception classes of model_signing.errors.
#pragma once

namespace model_signing::python {

// model_signing::Error -> model_signing.errors.<class for its kind>, with
// ModelMismatchError's lists attached. Other exceptions keep pybind11's
// default translation.
void register_error_translator();

}  // namespace model_signing::python
