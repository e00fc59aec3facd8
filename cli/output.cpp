#include "output.h"

#include <cstdio>
#include <ctime>

#include "model_signing/error.h"
#include "model_signing/sigstore_trust.h"

namespace model_signing::cli {

namespace {

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument:
      return "invalid_argument";
    case ErrorKind::kIo:
      return "io";
    case ErrorKind::kModelLayout:
      return "model_layout";
    case ErrorKind::kUnsupported:
      return "unsupported";
    case ErrorKind::kMalformedBundle:
      return "malformed_signature";
    case ErrorKind::kInvalidSignature:
      return "invalid_signature";
    case ErrorKind::kUntrustedSigner:
      return "untrusted_signer";
    case ErrorKind::kKey:
      return "key";
    case ErrorKind::kModelMismatch:
      return "model_mismatch";
    case ErrorKind::kNetwork:
      return "network";
    case ErrorKind::kToken:
      return "token";
  }
  return "error";
}

// What to add to a message when a flag would have changed the outcome.
const char* remedy_text(Remedy remedy) {
  switch (remedy) {
    case Remedy::kAllowSymlinks:
      return "; --allow-symlinks follows symbolic links to files";
    case Remedy::kAllowExpiredCertificate:
      return "; --allow-expired-certificate accepts a signing certificate that has expired since "
             "it was issued";
    case Remedy::kNone:
      break;
  }
  return "";
}

Json certificate_json(const CertificateInfo& cert) {
  Json out;
  out["subject"] = cert.subject;
  out["issuer"] = cert.issuer;
  out["serial"] = cert.serial;
  out["sha256_fingerprint"] = cert.sha256_fingerprint;
  out["not_before"] = rfc3339(cert.not_before);
  out["not_after"] = rfc3339(cert.not_after);
  out["identities"] = cert.identities;
  out["oidc_issuer"] = cert.oidc_issuer ? Json(*cert.oidc_issuer) : Json(nullptr);
  return out;
}

}  // namespace

void add_output_options(CLI::App* app, OutputOptions& options) {
  app->add_option("--output", options.format,
                  "text (default): the Python tool's messages; json: one JSON object on stdout "
                  "(schema in the README)")
      ->check(CLI::IsMember({"text", "json"}))
      ->type_name("FORMAT")
      ->group("Output");
  app->add_flag("--quiet", options.quiet, "No progress bar.")->group("Output");
}

std::string rfc3339(std::int64_t seconds) {
  std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  char buf[64];
  if (!gmtime_r(&t, &tm) || std::strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
    return std::to_string(seconds);
  }
  return buf;
}

Json new_report(const std::string& command) {
  Json report;
  report["schema_version"] = kSchemaVersion;
  report["command"] = command;
  report["status"] = "ok";
  return report;
}

Json serialization_json(const SerializationSpec& spec) {
  Json out;
  out["method"] = std::string(to_string(spec.method));
  out["hash"] = std::string(to_string(spec.hash));
  out["shard_size"] = spec.method == Serialization::kShards ? Json(spec.shard_size) : Json(nullptr);
  out["allow_symlinks"] = spec.allow_symlinks;
  out["ignore_paths"] = spec.ignore_paths;
  return out;
}

Json signer_json(const SignatureInfo& signature) {
  Json out;
  out["method"] = std::string(to_string(signature.method));
  out["public_key_hint"] = signature.public_key_hint ? Json(*signature.public_key_hint) : Json(nullptr);
  out["certificate"] = nullptr;
  out["chain"] = Json::array();
  out["identity"] = nullptr;
  out["identity_provider"] = nullptr;
  if (!signature.certificates.empty()) {
    const CertificateInfo& leaf = signature.certificates[0];
    out["certificate"] = certificate_json(leaf);
    for (std::size_t i = 1; i < signature.certificates.size(); ++i) {
      out["chain"].push_back(certificate_json(signature.certificates[i]));
    }
    if (signature.method == SignatureMethod::kSigstore) {
      if (!leaf.identities.empty()) out["identity"] = leaf.identities[0];
      if (leaf.oidc_issuer) out["identity_provider"] = *leaf.oidc_issuer;
    }
  }
  Json entries = Json::array();
  for (const auto& entry : signature.log_entries) {
    Json e;
    e["log_index"] = entry.log_index;
    e["log_id"] = entry.log_id;
    e["kind"] = entry.kind;
    e["version"] = entry.version;
    e["integrated_time"] =
        entry.integrated_time ? Json(sigstore::format_time(*entry.integrated_time)) : Json(nullptr);
    e["inclusion_proof"] = entry.has_inclusion_proof;
    e["inclusion_promise"] = entry.has_inclusion_promise;
    entries.push_back(std::move(e));
  }
  out["log_entries"] = std::move(entries);
  Json times = Json::array();
  for (const auto& t : signature.timestamps) times.push_back(sigstore::format_time(t));
  out["timestamps"] = std::move(times);
  return out;
}

void add_hashing(Json& report, const Manifest& manifest, const HashingStats& stats) {
  report["root_digest"] = "sha256:" + digest_hex(manifest.root_digest());
  report["serialization"] = serialization_json(manifest.serialization());
  report["files"] = stats.files;
  report["bytes"] = stats.bytes;
}

void print_report(const Json& report) {
  // Names and messages may hold any bytes; replace what is not UTF-8.
  std::string text = report.dump(2, ' ', false, Json::error_handler_t::replace);
  std::printf("%s\n", text.c_str());
  std::fflush(stdout);
}

int report_failure(const char* action, const std::exception& error, const OutputOptions& output,
                   Json report) {
  std::string message = error.what();
  const auto* typed = dynamic_cast<const Error*>(&error);
  if (typed) message += remedy_text(typed->remedy());
  // One line, whatever the library or OpenSSL put in the message.
  for (char& c : message) {
    if (c == '\n' || c == '\r') c = ' ';
  }
  std::fprintf(stderr, "%s failed with error: %s\n", action, message.c_str());
  if (!output.json()) return 1;
  report["status"] = "failed";
  report["error"] = message;
  report["error_kind"] = typed ? error_kind_name(typed->kind()) : "error";
  if (const auto* mismatch = dynamic_cast<const ModelMismatchError*>(&error)) {
    report["extra"] = mismatch->extra();
    report["missing"] = mismatch->missing();
    Json modified = Json::array();
    for (const auto& m : mismatch->mismatched()) {
      modified.push_back({{"name", m.name}, {"expected", m.expected_hex}, {"actual", m.actual_hex}});
    }
    report["modified"] = std::move(modified);
  }
  print_report(report);
  return 1;
}

}  // namespace model_signing::cli
