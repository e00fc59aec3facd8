// Signers and verifiers made by a use_*_signer / use_*_verifier call: shared
// by every sign() or verify() of that configuration, from any thread, one
// call at a time (a PKCS#11 session, for one, must not be used concurrently).
#pragma once

#include <pybind11/pybind11.h>

#include <memory>
#include <mutex>

namespace model_signing::python {

template <typename Interface>
struct Handle {
  std::unique_ptr<Interface> object;
  std::mutex mutex;
};

// make() runs with the GIL released: it may read files or open a token.
template <typename H, typename Make>
std::shared_ptr<H> make_handle(Make make, std::shared_ptr<H> handle = std::make_shared<H>()) {
  pybind11::gil_scoped_release release;
  handle->object = make();
  return handle;
}

}  // namespace model_signing::python
