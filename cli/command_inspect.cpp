// `inspect SIGNATURE`: what a signature claims, without verifying it.
#include <cstdio>
#include <memory>
#include <string>

#include "commands.h"
#include "help.h"
#include "log_output.h"
#include "model_signing/bundle.h"
#include "model_signing/signature_info.h"
#include "output.h"

namespace model_signing::cli {

namespace {

struct InspectOptions {
  std::string signature;
  OutputOptions output;
};

constexpr int kLabelWidth = 16;

void line(const std::string& label, const std::string& value) {
  std::string padded = label.empty() ? "" : label + ":";
  padded.resize(kLabelWidth, ' ');
  std::printf("%s%s\n", padded.c_str(), value.c_str());
}

std::string certificate_text(const CertificateInfo& cert) {
  return printable(cert.subject) + ", issued by " + printable(cert.issuer) + ", valid " +
         rfc3339(cert.not_before) + " to " + rfc3339(cert.not_after) + ", SHA-256 " +
         cert.sha256_fingerprint;
}

void print_signer(const SignatureInfo& info) {
  if (info.method == SignatureMethod::kKey) {
    line("Signer", "public key " +
                       (info.public_key_hint ? "with hint " + printable(*info.public_key_hint)
                                             : std::string("(no hint: signed before v1.1)")) +
                       (info.key_details.empty() ? "" : " (" + printable(info.key_details) + ")"));
    return;
  }
  if (info.certificates.empty()) return;
  const CertificateInfo& leaf = info.certificates[0];
  if (info.method == SignatureMethod::kSigstore) {
    line("Signer", (leaf.identities.empty() ? std::string("(no identity)") : printable(leaf.identities[0])) +
                       " from " + (leaf.oidc_issuer ? printable(*leaf.oidc_issuer) : "(no issuer)"));
    line("Certificate", certificate_text(leaf));
  } else {
    line("Signer", certificate_text(leaf));
  }
  for (std::size_t i = 1; i < info.certificates.size(); ++i) {
    line(i == 1 ? "Chain" : "", certificate_text(info.certificates[i]));
  }
}

void print_text(const std::string& path, const SignatureInfo& info) {
  std::printf("NOT VERIFIED: this is what the signature claims; `model_signing verify` checks it.\n");
  line("Signature", printable(path) + " (" + printable(info.media_type) + ")");
  line("Method", std::string(to_string(info.method)));
  print_signer(info);
  const Manifest& manifest = info.manifest;
  const SerializationSpec& spec = manifest.serialization();
  line("Model", printable(manifest.model_name()));
  std::string serialization = std::string(to_string(spec.method)) + ", " + std::string(to_string(spec.hash));
  if (spec.method == Serialization::kShards) serialization += ", shard size " + std::to_string(spec.shard_size);
  serialization += spec.allow_symlinks ? ", symlinks followed" : ", no symlinks";
  line("Serialization", serialization);
  std::string ignored;
  for (const auto& p : spec.ignore_paths) ignored += (ignored.empty() ? "" : ", ") + printable(p);
  line("Ignore paths", ignored.empty() ? "none" : ignored);
  line("Root digest", "sha256:" + digest_hex(manifest.root_digest()));
  line("Resources", std::to_string(manifest.items().size()));
  for (const auto& item : manifest.items()) {
    std::printf("  %s  %s:%s\n", printable(item.resource_name()).c_str(),
                std::string(to_string(spec.hash)).c_str(), digest_hex(item.digest).c_str());
  }
  if (info.log_entries.empty()) line("Log entries", "none");
  for (std::size_t i = 0; i < info.log_entries.size(); ++i) {
    const LogEntryInfo& e = info.log_entries[i];
    std::string text = "index " + std::to_string(e.log_index) + " (" + printable(e.kind) + " " +
                       printable(e.version) + ", log " + e.log_id;
    if (e.integrated_time) text += ", integrated " + sigstore::format_time(*e.integrated_time);
    if (e.has_inclusion_proof) text += ", inclusion proof";
    if (e.has_inclusion_promise) text += ", signed entry timestamp";
    line(i == 0 ? "Log entries" : "", text + ")");
  }
  if (info.timestamps.empty()) line("Timestamps", "none");
  for (std::size_t i = 0; i < info.timestamps.size(); ++i) {
    line(i == 0 ? "Timestamps" : "", sigstore::format_time(info.timestamps[i]) + " (RFC 3161)");
  }
}

int run_inspect(const InspectOptions& options) {
  Json report = new_report("inspect");
  report["verified"] = false;
  report["signature"] = options.signature;
  try {
    SignatureInfo info = describe_signature(read_bundle_file(options.signature));
    if (!options.output.json()) {
      print_text(options.signature, info);
      return 0;
    }
    report["media_type"] = info.media_type;
    report["model_name"] = info.manifest.model_name();
    report["root_digest"] = "sha256:" + digest_hex(info.manifest.root_digest());
    report["serialization"] = serialization_json(info.manifest.serialization());
    Json resources = Json::array();
    for (const auto& item : info.manifest.items()) {
      resources.push_back({{"name", item.resource_name()}, {"digest", digest_hex(item.digest)}});
    }
    report["resources"] = std::move(resources);
    report["signer"] = signer_json(info);
    print_report(report);
    return 0;
  } catch (const std::exception& e) {
    return report_failure("Inspection", e, options.output, std::move(report));
  }
}

}  // namespace

void add_inspect_command(CLI::App& app, Action& action) {
  auto options = std::make_shared<InspectOptions>();
  CLI::App* cmd = app.add_subcommand("inspect", "Show what a signature claims, without verifying it.");
  set_help_paragraph(
      cmd,
      "Reads the signature file SIGNATURE (a Sigstore bundle) and prints what it claims: the "
      "PKI method, the signer (public key hint; certificate subject, issuer, validity and "
      "fingerprint; Sigstore identity and identity provider), how the model was hashed "
      "(serialization, hash, ignored paths), every resource with its digest and the root "
      "digest, and the transparency log entries and timestamps it carries.\n\n"
      "NOTHING IS VERIFIED: the signature, the certificates, the log entries and the "
      "timestamps are shown as the file states them, and the output says so on its first "
      "line. Use `model_signing verify` to check them. A malformed signature fails as it "
      "would in verify.");
  cmd->add_option("SIGNATURE", options->signature, "Path to the signature file.")->required();
  add_output_options(cmd, options->output);
  cmd->callback([options, &action] { action = [options] { return run_inspect(*options); }; });
}

}  // namespace model_signing::cli
