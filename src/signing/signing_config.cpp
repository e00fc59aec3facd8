// The signing flow: obtain the model's digests (hash it, or reuse a verified
// earlier signature's digests for unchanged files: src/sources/), build the
// statement, have the chosen method sign it, write the bundle atomically,
// then the stat record when one is kept.
#include <chrono>
#include <cstdio>

#include "crypto/digest.h"
#include "engine/hash_model.h"
#include "model_signing/error.h"
#include "model_signing/signing.h"
#include "sources/model_digests.h"
#include "sources/stat_record.h"
#include "util/encoding.h"
#include "util/file_io.h"
#include "util/log.h"
#include "walk/ignore_rules.h"

namespace model_signing {

SigningConfig& SigningConfig::set_hashing_config(HashingConfig hashing) {
  hashing_ = std::move(hashing);
  return *this;
}

SigningConfig& SigningConfig::use_signer(std::unique_ptr<Signer> signer) {
  signer_ = std::move(signer);
  return *this;
}

SigningConfig& SigningConfig::reuse_digests(ReuseDigests reuse) {
  reuse_ = std::move(reuse);
  return *this;
}

SigningConfig& SigningConfig::set_write_stat_record(bool write) {
  write_stat_record_ = write;
  return *this;
}

namespace {

using Clock = std::chrono::steady_clock;

double seconds_since(Clock::time_point started) {
  return std::chrono::duration<double>(Clock::now() - started).count();
}

struct Signed {
  SigningResult result;
  std::optional<sources::StatRecord> record;  // to write next to the signature
};

bool inside_model(const std::filesystem::path& model_path, const std::filesystem::path& path) {
  std::error_code ec;
  return walk::relative_to_model(model_path, std::filesystem::absolute(path, ec)).has_value();
}

Signer& require_signer(const std::shared_ptr<Signer>& signer) {
  if (!signer) throw Error(ErrorKind::kInvalidArgument, "no signer configured");
  return *signer;
}

// `record`: the signature will be written, and a stat record is wanted
// (asked for, or re-signing incrementally, which keeps the chain going).
Signed hash_and_sign(const HashingConfig& config, const std::shared_ptr<Signer>& signer_ptr,
                     const std::optional<ReuseDigests>& reuse, bool record, bool record_required,
                     const std::filesystem::path& model_path,
                     const std::filesystem::path& signature_path) {
  Signer& signer = require_signer(signer_ptr);
  auto started = Clock::now();
  HashingConfig hashing = config;
  if (!signature_path.empty()) {
    // The signature must never sign itself when it is written into the model.
    std::error_code ec;
    hashing.ignore_paths.push_back(std::filesystem::absolute(signature_path, ec));
  }
  Signed out;
  // The model's warnings (OMS 6.1.1 links) come back with the result.
  hashing.warning = [&out, forward = config.warning](const std::string& warning) {
    out.result.warnings.push_back(warning);
    if (forward) forward(warning);
  };
  bool keep_record = false;
  if (record) {
    keep_record = !inside_model(model_path, stat_record_path(signature_path));
    if (!keep_record && record_required) {
      throw Error(ErrorKind::kInvalidArgument,
                  "cannot keep a stat record next to " + util::printable(signature_path.string()) +
                      ": it lies inside the model and would become part of it; write the "
                      "signature outside the model");
    }
    if (!keep_record) {
      out.result.warnings.push_back("no stat record written: the signature lies inside the model");
    }
  }
  std::optional<sources::ReusePlan> plan;
  if (reuse) plan = sources::plan_reuse(*reuse, signer, model_path, hashing);
  sources::ModelDigests digests = sources::model_digests(model_path, hashing, plan ? &*plan : nullptr);
  out.result.hashing.files = digests.counts.files_hashed;
  out.result.hashing.bytes = digests.counts.bytes_hashed;
  out.result.hashing.seconds = seconds_since(started);
  if (config.stats) *config.stats = out.result.hashing;
  auto signing_started = Clock::now();
  out.result.bundle = signer.sign(statement_json(digests.manifest));
  if (log_enabled(LogLevel::kInfo)) {
    char took[32];
    std::snprintf(took, sizeof(took), "%.2f s", seconds_since(signing_started));
    util::log(LogLevel::kInfo, std::string("signed the statement in ") + took);
  }
  out.result.manifest = std::move(digests.manifest);
  out.result.counts = digests.counts;
  if (keep_record) {
    out.record = sources::capture_stat_record(model_path, digests.files, digests.walk_started_ns);
  }
  return out;
}

bool is_sigstore_bundle(const std::filesystem::path& path) {
  try {
    read_bundle_file(path.string());
    return true;
  } catch (const Error&) {
    return false;
  }
}

// Writing the signature over the model, or over one of its files, would
// destroy what was just signed; over a previous signature it is expected.
void check_signature_destination(const HashingConfig& hashing,
                                 const std::filesystem::path& model_path,
                                 const std::filesystem::path& signature_path) {
  std::error_code ec;
  if (std::filesystem::equivalent(model_path, signature_path, ec)) {
    throw Error(ErrorKind::kInvalidArgument,
                "signature file " + util::printable(signature_path.string()) +
                    " would overwrite the model: choose another signature path");
  }
  if (!std::filesystem::is_regular_file(std::filesystem::symlink_status(signature_path, ec)) ||
      !std::filesystem::is_directory(model_path, ec)) {
    return;
  }
  std::optional<std::string> inside = path_in_model(model_path, signature_path);
  if (!inside) return;
  walk::WalkOptions options = engine::walk_options_for(model_path, hashing);
  if (options.ignore.is_ignored(*inside) || is_sigstore_bundle(signature_path)) return;
  throw Error(ErrorKind::kInvalidArgument,
              "signature file " + util::printable(signature_path.string()) +
                  " would overwrite " + util::printable(*inside) +
                  ", a file of the model that is not a signature: choose another signature path");
}

}  // namespace

Bundle SigningConfig::sign_to_bundle(const std::filesystem::path& model_path,
                                     const std::filesystem::path& signature_path) const {
  return hash_and_sign(hashing_, signer_, reuse_, false, false, model_path, signature_path).result.bundle;
}

SigningResult SigningConfig::sign_with_details(const std::filesystem::path& model_path,
                                               const std::filesystem::path& signature_path) const {
  check_signature_destination(hashing_, model_path, signature_path);
  Signed out = hash_and_sign(hashing_, signer_, reuse_, write_stat_record_ || reuse_.has_value(),
                             write_stat_record_, model_path, signature_path);
  std::string bundle_json = serialize_bundle(out.result.bundle);
  util::write_file_atomically(signature_path, bundle_json);
  util::log(LogLevel::kInfo, "wrote the signature to " + util::printable(signature_path.string()));
  if (out.record) {
    out.record->signature_sha256 = util::to_hex(crypto::sha256(bundle_json));
    std::filesystem::path record_path = stat_record_path(signature_path);
    try {
      util::write_file_atomically(record_path, sources::stat_record_json(*out.record));
    } catch (const Error& e) {
      out.result.warnings.push_back(std::string("the signature was written, but not its stat record: ") +
                                    e.what());
    }
  }
  return std::move(out.result);
}

Manifest SigningConfig::sign(const std::filesystem::path& model_path,
                             const std::filesystem::path& signature_path) const {
  return std::move(sign_with_details(model_path, signature_path).manifest);
}

Bundle SigningConfig::sign_manifest_to_bundle(const Manifest& manifest) const {
  return require_signer(signer_).sign(statement_json(manifest));
}

Bundle SigningConfig::sign_manifest(const Manifest& manifest,
                                    const std::filesystem::path& signature_path) const {
  Bundle bundle = sign_manifest_to_bundle(manifest);
  util::write_file_atomically(signature_path, serialize_bundle(bundle));
  return bundle;
}

}  // namespace model_signing
