#include <pybind11/pybind11.h>

#include <mutex>

#include "bindings.h"
#include "conversions.h"
#include "handles.h"
#include "model_signing/bundle.h"
#include "model_signing/sigstore.h"
#include "model_signing/verifying.h"

namespace model_signing::python {

namespace {

using VerifierHandle = Handle<Verifier>;

VerifiedPayload verify_locked(VerifierHandle& handle, const Bundle& bundle) {
  std::lock_guard lock(handle.mutex);
  return handle.object->verify(bundle);
}

// What VerifyingConfig owns: a reference to the shared handle.
class SharedVerifier : public Verifier {
 public:
  explicit SharedVerifier(std::shared_ptr<VerifierHandle> handle) : handle_(std::move(handle)) {}
  VerifiedPayload verify(const Bundle& bundle) override { return verify_locked(*handle_, bundle); }

 private:
  std::shared_ptr<VerifierHandle> handle_;
};

std::shared_ptr<VerifierHandle> key_verifier(const py::bytes& public_key) {
  auto key = to_path(public_key);
  return make_handle<VerifierHandle>([&] { return make_key_verifier(key); });
}

std::shared_ptr<VerifierHandle> certificate_verifier(const py::list& chain, bool log_fingerprints,
                                                     bool allow_expired_certificate) {
  CertificateVerifierOptions options;
  options.trust_anchors = to_paths(chain);
  options.log_fingerprints = log_fingerprints;
  options.allow_expired_certificate = allow_expired_certificate;
  return make_handle<VerifierHandle>([&] { return make_certificate_verifier(options); });
}

// Staging wins over a trust config, as in the Python tool.
std::shared_ptr<VerifierHandle> sigstore_verifier(const std::string& identity,
                                                  const std::string& oidc_issuer, bool use_staging,
                                                  const py::object& trust_config) {
  SigstoreVerifierOptions options;
  options.identity = identity;
  options.identity_provider = oidc_issuer;
  options.use_staging = use_staging;
  if (!use_staging && !trust_config.is_none()) {
    options.trust_config = to_path(trust_config.cast<py::bytes>());
  }
  return make_handle<VerifierHandle>([&] { return make_sigstore_verifier(options); });
}

// signature: the bundle file (bytes path) or None with `bundle_json` set.
// hashing: None to hash as the signature says, else an explicit config to
// which the signature's recorded ignore paths are added (as the Python tool
// does).
py::tuple verify(const std::shared_ptr<VerifierHandle>& handle, const py::bytes& model_path,
                 const py::object& signature_path, const py::object& bundle_json,
                 const py::object& hashing_config, bool ignore_unsigned_files,
                 const py::object& progress) {
  std::filesystem::path model = to_path(model_path);
  std::filesystem::path signature;
  std::string json;
  if (!signature_path.is_none()) {
    signature = to_path(signature_path.cast<py::bytes>());
  } else {
    json = to_bytes_string(bundle_json);
  }
  std::optional<HashingConfig> explicit_hashing;
  if (!hashing_config.is_none()) explicit_hashing = hashing_config_from(hashing_config);
  PythonCallback callback(progress);
  ProgressCallback on_progress = progress_callback(callback);

  VerificationResult result;
  {
    py::gil_scoped_release release;
    Bundle bundle = signature.empty() ? parse_bundle(json) : read_bundle_file(signature.string());
    VerifyingConfig config;
    config.set_ignore_unsigned_files(ignore_unsigned_files)
        .set_progress(on_progress)
        .use_verifier(std::make_unique<SharedVerifier>(handle));
    if (explicit_hashing) {
      // The recorded ignore paths are only read from a verified statement.
      VerifiedPayload verified = verify_locked(*handle, bundle);
      Manifest signed_manifest = manifest_from_statement(verified.payload_type, verified.payload);
      const auto& recorded = signed_manifest.serialization().ignore_paths;
      config.add_ignore_paths({recorded.begin(), recorded.end()});
      explicit_hashing->progress = on_progress;
      config.set_hashing_config(std::move(*explicit_hashing));
    }
    result = config.verify_bundle(model, bundle, signature);
  }
  callback.rethrow();
  return py::make_tuple(std::move(result.manifest), to_str_list(result.warnings),
                        to_str_list(result.details));
}

}  // namespace

void register_verifying(py::module_& m) {
  py::class_<VerifierHandle, std::shared_ptr<VerifierHandle>>(m, "Verifier");
  m.def("key_verifier", &key_verifier, py::arg("public_key"));
  m.def("certificate_verifier", &certificate_verifier, py::arg("certificate_chain"),
        py::arg("log_fingerprints"), py::arg("allow_expired_certificate"));
  m.def("sigstore_verifier", &sigstore_verifier, py::arg("identity"), py::arg("oidc_issuer"),
        py::arg("use_staging"), py::arg("trust_config"));
  m.def("verify", &verify, py::arg("verifier"), py::arg("model_path"), py::arg("signature_path"),
        py::arg("bundle_json"), py::arg("hashing"), py::arg("ignore_unsigned_files"),
        py::arg("progress"));
}

}  // namespace model_signing::python
