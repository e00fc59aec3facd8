#include "fuzz_support.h"

#include <cstdlib>
#include <mutex>

#include "bundle/dsse.h"
#include "model_signing/error.h"
#include "signing/checked_key.h"
#include "signing/key/key_signer.h"
#include "signing/key/pem_private_key.h"
#include "util/file_io.h"

namespace model_signing::fuzz {

namespace fs = std::filesystem;

namespace {

// Made for the fuzz targets (openssl ecparam -name prime256v1 -genkey);
// it signs nothing else.
constexpr const char* kFuzzKeyPem =
    "-----BEGIN PRIVATE KEY-----\n"
    "MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgXDm9v3PHQ9kj291v\n"
    "Z966vcc8cokNl4To/uoEY/Wt8FyhRANCAAQmTvWRjQiwRRmmjijylYko/wavA8B/\n"
    "cUz93w1wlQAWyGGRls/N44kEy5WyiiVlycW7DiZYsitRvxOmqNiV3J/P\n"
    "-----END PRIVATE KEY-----\n";

constexpr const char* kFuzzPublicKeyPem =
    "-----BEGIN PUBLIC KEY-----\n"
    "MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEJk71kY0IsEUZpo4o8pWJKP8GrwPA\n"
    "f3FM/d8NcJUAFshhkZbPzeOJBMuVsoolZcnFuw4mWLIrUb8TpqjYldyfzw==\n"
    "-----END PUBLIC KEY-----\n";

void write(const fs::path& path, const std::string& text) {
  fs::create_directories(path.parent_path());
  util::write_file_atomically(path, text);
}

}  // namespace

fs::path shared_dir() { return MS_SHARED_DIR; }

std::string read_shared(const std::string& relative) {
  try {
    return util::read_file(shared_dir() / relative);
  } catch (const Error&) {
    return "";
  }
}

const fs::path& scratch_dir() {
  static const fs::path dir = [] {
    std::string pattern = (fs::temp_directory_path() / "ms-fuzz-XXXXXX").string();
    if (!::mkdtemp(pattern.data())) std::abort();
    std::atexit([] {
      std::error_code ec;
      fs::remove_all(scratch_dir(), ec);
    });
    return fs::path(pattern);
  }();
  return dir;
}

const fs::path& fuzz_private_key() {
  static const fs::path path = [] {
    fs::path p = scratch_dir() / "key.pem";
    write(p, kFuzzKeyPem);
    return p;
  }();
  return path;
}

const fs::path& fuzz_public_key() {
  static const fs::path path = [] {
    fs::path p = scratch_dir() / "key.pub";
    write(p, kFuzzPublicKeyPem);
    return p;
  }();
  return path;
}

std::string sign_with_fuzz_key(const std::string& payload, const std::string& payload_type) {
  static signing::CheckedKey key(signing::load_pem_private_key(fuzz_private_key(), std::nullopt));
  static std::mutex mutex;
  std::lock_guard lock(mutex);
  Bundle bundle;
  bundle.media_type = std::string(kBundleMediaTypeV03);
  bundle.verification_material = signing::public_key_material(key.public_key());
  DsseEnvelope envelope;
  envelope.payload = payload;
  envelope.payload_type = payload_type;
  envelope.signatures.push_back({key.sign(dsse::pae(payload_type, payload)), ""});
  bundle.dsse_envelope = std::move(envelope);
  return serialize_bundle(bundle);
}

const fs::path& fuzz_model() {
  static const fs::path dir = [] {
    fs::path d = scratch_dir() / "model";
    write(d / "a.bin", "0123456789abcdef");
    write(d / "sub/b.bin", "bravo");
    write(d / "empty.bin", "");
    return d;
  }();
  return dir;
}

const std::vector<sigstore::TrustedRoot>& trusted_roots() {
  static const std::vector<sigstore::TrustedRoot> roots = [] {
    std::vector<sigstore::TrustedRoot> all;
    all.push_back(sigstore::embedded_trust_config(sigstore::Instance::kProduction).trusted_root);
    for (const char* c : {"rekor2-happy-path", "rekor2-timestamp-with-embedded-cert", "intoto-with-custom-trust-root"}) {
      std::string text = read_shared(std::string("sigstore/conformance-sample/") + c + "/trusted_root.json");
      if (!text.empty()) all.push_back(sigstore::parse_trusted_root(text));
    }
    return all;
  }();
  return roots;
}

std::vector<std::string> shared_bundle_files() {
  std::vector<std::string> files;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(shared_dir(), ec)) {
    std::string name = entry.path().filename().string();
    bool bundle = name == "model.sig" || name == "bundle.sigstore.json" ||
                  (name.size() > 12 && name.substr(name.size() - 12) == ".bundle.json");
    if (bundle && entry.is_regular_file()) files.push_back(util::read_file(entry.path()));
  }
  return files;
}

std::string payload_of(const std::string& bundle_text) {
  try {
    Bundle bundle = parse_bundle(bundle_text);
    return bundle.dsse_envelope ? bundle.dsse_envelope->payload : "";
  } catch (const Error&) {
    return "";
  }
}

}  // namespace model_signing::fuzz
