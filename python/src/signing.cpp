#include <pybind11/pybind11.h>

#include <mutex>

#include "bindings.h"
#include "conversions.h"
#include "handles.h"
#include "model_signing/pkcs11.h"
#include "model_signing/signing.h"
#include "model_signing/sigstore_sign.h"

namespace model_signing::python {

namespace {

// With the interactive Sigstore flow's Python callbacks, if any.
struct SignerHandle : Handle<Signer> {
  PythonCallback show_url{py::none()};
  PythonCallback read_code{py::none()};
};

// What SigningConfig owns: a reference to the shared handle.
class SharedSigner : public Signer {
 public:
  explicit SharedSigner(std::shared_ptr<SignerHandle> handle) : handle_(std::move(handle)) {}
  Bundle sign(const std::string& statement_json) override {
    std::lock_guard lock(handle_->mutex);
    return handle_->object->sign(statement_json);
  }

 private:
  std::shared_ptr<SignerHandle> handle_;
};

std::optional<std::string> optional_string(const py::object& value) {
  if (value.is_none()) return std::nullopt;
  return to_bytes_string(value);
}

Pkcs11Options pkcs11_options(const py::object& module_paths) {
  Pkcs11Options options;
  if (!module_paths.is_none()) options.module_directories = to_paths(module_paths.cast<py::list>());
  return options;
}

std::shared_ptr<SignerHandle> key_signer(const py::bytes& private_key, const py::object& password) {
  auto key = to_path(private_key);
  auto pass = optional_string(password);
  return make_handle<SignerHandle>([&] { return make_key_signer(key, pass); });
}

std::shared_ptr<SignerHandle> certificate_signer(const py::bytes& private_key,
                                                 const py::bytes& certificate,
                                                 const py::list& chain, const py::object& password) {
  auto key = to_path(private_key);
  auto cert = to_path(certificate);
  auto chain_paths = to_paths(chain);
  auto pass = optional_string(password);
  return make_handle<SignerHandle>([&] { return make_certificate_signer(key, cert, chain_paths, pass); });
}

std::shared_ptr<SignerHandle> pkcs11_key_signer(const std::string& uri,
                                                const py::object& module_paths) {
  Pkcs11Options options = pkcs11_options(module_paths);
  return make_handle<SignerHandle>([&] { return make_pkcs11_key_signer(uri, options); });
}

std::shared_ptr<SignerHandle> pkcs11_certificate_signer(const std::string& uri,
                                                        const py::object& certificate,
                                                        const py::list& chain,
                                                        const py::object& module_paths) {
  Pkcs11Options options = pkcs11_options(module_paths);
  std::filesystem::path cert;
  if (!certificate.is_none()) cert = to_path(certificate.cast<py::bytes>());
  auto chain_paths = to_paths(chain);
  return make_handle<SignerHandle>(
      [&] { return make_pkcs11_certificate_signer(uri, cert, chain_paths, options); });
}

// The production instance with `issuer` as its only OIDC provider.
sigstore::ClientTrustConfig production_with_issuer(const std::string& issuer) {
  sigstore::ClientTrustConfig trust = sigstore::embedded_trust_config(sigstore::Instance::kProduction);
  if (!trust.signing_config) trust.signing_config.emplace();
  sigstore::Service service;
  service.url = issuer;
  service.major_api_version = 1;
  service.valid_for.start = sigstore::Time{};
  trust.signing_config->oidc_urls = {service};
  return trust;
}

// Keyless signing. Instance: staging, else a trust config file, else
// production (with `oidc_issuer` as its OIDC provider if given) — the
// Python tool's precedence.
std::shared_ptr<SignerHandle> sigstore_signer(bool use_staging, const py::object& trust_config,
                                              const py::object& oidc_issuer,
                                              const py::object& identity_token,
                                              bool use_ambient_credentials, bool force_oob,
                                              const py::object& client_id,
                                              const py::object& client_secret,
                                              const py::object& show_url,
                                              const py::object& read_code) {
  SigstoreSigningOptions options;
  options.use_staging = use_staging;
  std::optional<std::filesystem::path> trust_path;
  if (!use_staging && !trust_config.is_none()) trust_path = to_path(trust_config.cast<py::bytes>());
  std::optional<std::string> issuer = optional_string(oidc_issuer);
  options.identity_token = optional_string(identity_token).value_or("");
  options.use_ambient_credentials = use_ambient_credentials;
  options.oauth_force_oob = force_oob;
  if (auto id = optional_string(client_id)) options.client_id = *id;
  options.client_secret = optional_string(client_secret).value_or("");

  auto handle = std::make_shared<SignerHandle>();
  handle->show_url = PythonCallback(show_url);
  handle->read_code = PythonCallback(read_code);
  // The callbacks hold the handle's callbacks by value (shared state), not
  // the handle: no cycle.
  PythonCallback show = handle->show_url;
  PythonCallback read = handle->read_code;
  options.show_authorization_url = [show](const std::string& url) { show.call(url); };
  options.read_authorization_code = [read]() { return read.call_for_string(); };

  return make_handle<SignerHandle>(
      [&] {
        if (trust_path) {
          options.trust_config = *trust_path;
        } else if (issuer && !use_staging) {
          options.trust = production_with_issuer(*issuer);
        }
        return make_sigstore_signer(std::move(options));
      },
      handle);
}

Manifest sign(const std::shared_ptr<SignerHandle>& handle, const py::bytes& model_path,
               const py::bytes& signature_path, const py::dict& hashing_config,
               const py::object& progress) {
  HashingConfig hashing = hashing_config_from(hashing_config);
  PythonCallback callback(progress);
  hashing.progress = progress_callback(callback);
  std::filesystem::path model = to_path(model_path);
  std::filesystem::path signature = to_path(signature_path);
  Manifest manifest;
  {
    py::gil_scoped_release release;
    SigningConfig config;
    config.set_hashing_config(std::move(hashing)).use_signer(std::make_unique<SharedSigner>(handle));
    try {
      manifest = config.sign(model, signature);
    } catch (...) {
      // A failure of the interactive flow's callbacks explains the error.
      py::gil_scoped_acquire gil;
      handle->show_url.rethrow();
      handle->read_code.rethrow();
      throw;
    }
  }
  callback.rethrow();
  return manifest;
}

}  // namespace

void register_signing(py::module_& m) {
  py::class_<SignerHandle, std::shared_ptr<SignerHandle>>(m, "Signer");
  m.def("key_signer", &key_signer, py::arg("private_key"), py::arg("password"));
  m.def("certificate_signer", &certificate_signer, py::arg("private_key"),
        py::arg("signing_certificate"), py::arg("certificate_chain"), py::arg("password"));
  m.def("pkcs11_key_signer", &pkcs11_key_signer, py::arg("uri"), py::arg("module_paths"));
  m.def("pkcs11_certificate_signer", &pkcs11_certificate_signer, py::arg("uri"),
        py::arg("signing_certificate"), py::arg("certificate_chain"), py::arg("module_paths"));
  m.def("sigstore_signer", &sigstore_signer, py::arg("use_staging"), py::arg("trust_config"),
        py::arg("oidc_issuer"), py::arg("identity_token"), py::arg("use_ambient_credentials"),
        py::arg("force_oob"), py::arg("client_id"), py::arg("client_secret"),
        py::arg("show_url"), py::arg("read_code"));
  m.def("sign", &sign, py::arg("signer"), py::arg("model_path"), py::arg("signature_path"),
        py::arg("hashing"), py::arg("progress"));
}

}  // namespace model_signing::python
