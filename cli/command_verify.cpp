#include <cstdio>
#include <memory>

#include "cli_options.h"
#include "commands.h"
#include "help.h"
#include "log_output.h"
#include "model_signing/error.h"
#include "model_signing/verifying.h"
#include "progress_bar.h"
#include "terminal.h"
#include "timestamp_flags.h"
#include "verify_support.h"

namespace model_signing::cli {

namespace {

const char* const kCommonVerifyText =
    "Checks that the signature at SIGNATURE_PATH (--signature) is valid and made by the "
    "expected signer, then re-hashes the model at MODEL_PATH (a directory or a single file) "
    "the way the signature says it was hashed (serialization, hash, ignored paths) and "
    "compares: any extra, missing or modified file fails verification, naming each. Files "
    "in IGNORE_PATHS are ignored too, and so is the signature file itself when it lies in "
    "the model; --ignore-unsigned-files checks only the files the signature lists.";

Json verified_signer_json(const VerificationResult& result) {
  Json signer = signer_json(result.signature);
  if (result.signature.method == SignatureMethod::kSigstore) {
    signer["identity"] = result.identity;
    signer["identity_provider"] = result.oidc_issuer;
  }
  Json times = Json::array();
  for (const auto& t : result.verified_times) {
    times.push_back({{"source", t.source == VerifiedTime::Source::kTimestampAuthority
                                    ? "timestamp_authority"
                                    : "transparency_log"},
                     {"time", sigstore::format_time(t.time)}});
  }
  signer["verified_times"] = std::move(times);
  return signer;
}

}  // namespace

int run_verify(const VerifyOptions& options,
               const std::function<std::unique_ptr<Verifier>()>& make_verifier) {
  Json report = new_report("verify");
  report["model"] = options.model.model_path;
  report["signature"] = options.model.signature;
  try {
    warn_about_ignore_paths(options.model);
    ProgressBar progress("Hashing", !options.output.quiet);
    VerifyingConfig config;
    config.add_ignore_paths(absolute_paths(options.model.ignore_paths))
        .set_ignore_git_paths(options.model.ignore_git_paths)
        .set_allow_symlinks(options.model.allow_symlinks)
        .set_max_workers(options.model.max_workers)
        .set_ignore_unsigned_files(options.ignore_unsigned_files)
        .set_progress_report(progress.callback())
        .use_verifier(make_verifier());
    VerificationResult result = verify_from_sources(options.sources, config, options.model);
    progress.finish();
    for (const auto& line : result.details) terminal::print_line(line);
    for (const auto& line : result.warnings) warn(line);
    if (options.output.json()) {
      add_hashing(report, result.manifest, result.hashing);
      report["signer"] = verified_signer_json(result);
      report["warnings"] = result.warnings;
      print_report(report);
    } else {
      std::printf("%s\n", verify_success_line(options.sources, result).c_str());
    }
    return 0;
  } catch (const std::exception& e) {
    return report_failure("Verification", e, options.output, std::move(report));
  }
}

CLI::App* add_verify_method(CLI::App* verify, const char* name, const char* summary,
                            const std::string& paragraph, std::shared_ptr<VerifyOptions>& options) {
  options = std::make_shared<VerifyOptions>();
  CLI::App* cmd = verify->add_subcommand(name, summary);
  set_help_paragraph(cmd, paragraph + "\n\n" + kCommonVerifyText);
  add_model_options(cmd, options->model, SignatureFlag::kRead);
  cmd->add_flag("--ignore-unsigned-files,!--no-ignore-unsigned-files", options->ignore_unsigned_files,
                "Verify only the files the signature lists; other files are not an error. "
                "Default: off.")
      ->group("Model");
  add_output_options(cmd, options->output);
  add_verify_source_options(cmd, options->sources);
  return cmd;
}

namespace {

void add_key_method(CLI::App* verify, Action& action) {
  std::shared_ptr<VerifyOptions> options;
  CLI::App* cmd = add_verify_method(
      verify, "key", "Verify using a public key (paired with a private one).",
      "The public key (--public-key, PEM; EC P-256, P-384 or P-521) must be the pair of the "
      "private key that signed, in a file or a PKCS #11 token (`sign key`, `sign "
      "pkcs11-key`). The key hint in the signature must match it; a signature without a "
      "hint (model_signing before v1.1) is checked with the key alone, with a warning.\n\n"
      "This method does not tie the signature to an identity beyond the key pair.",
      options);
  auto public_key = std::make_shared<std::string>();
  cmd->add_option("--public-key", *public_key, "Path to the public key used for verification.")
      ->type_name("PUBLIC_KEY")
      ->required();
  auto timestamps = std::make_shared<TimestampVerifyFlags>();
  add_timestamp_verify_flags(cmd, *timestamps);
  cmd->callback([=, &action] {
    action = [=] {
      return run_verify(*options, [&] { return make_key_verifier(*public_key, timestamps->options()); });
    };
  });
}

void add_certificate_method(CLI::App* verify, Action& action) {
  std::shared_ptr<VerifyOptions> options;
  CLI::App* cmd = add_verify_method(
      verify, "certificate", "Verify using a certificate.",
      "The signing certificate is in the signature, with any chain certificates the signer "
      "added. It must chain to a trust anchor given with --certificate-chain (repeatable, or "
      "several certificates in one file; an anchor may be an intermediate) or, without it, "
      "to the system's trust store, allow signing (digitalSignature or codeSigning), and be "
      "valid now (OMS); --allow-expired-certificate checks the chain at the certificate's "
      "notBefore time instead, as the Python tool does.",
      options);
  auto certificate_options = std::make_shared<CertificateVerifierOptions>();
  auto chain = std::make_shared<std::vector<std::string>>();
  repeatable(cmd->add_option("--certificate-chain", *chain,
                             "Trust anchors: PEM certificate files (repeatable). Default: the "
                             "system trust store."))
      ->type_name("CERTIFICATE_PATH");
  cmd->add_flag("--log-fingerprints", certificate_options->log_fingerprints,
                "Print the SHA-256 fingerprints of the signature's certificates on stderr.");
  cmd->add_flag("--allow-expired-certificate", certificate_options->allow_expired_certificate,
                "Accept a signing certificate that has expired since it was issued (checks the "
                "chain at the certificate's notBefore time, as the Python tool does).");
  auto timestamps = std::make_shared<TimestampVerifyFlags>();
  add_timestamp_verify_flags(cmd, *timestamps);
  cmd->callback([=, &action] {
    action = [=] {
      return run_verify(*options, [&] {
        CertificateVerifierOptions opts = *certificate_options;
        opts.trust_anchors.assign(chain->begin(), chain->end());
        opts.timestamps = timestamps->options();
        return make_certificate_verifier(opts);
      });
    };
  });
}

}  // namespace

void add_verify_command(CLI::App& app, Action& action) {
  CLI::App* verify = app.add_subcommand("verify", "Verify models.");
  set_help_paragraph(
      verify,
      "Given a model and its signature (a Sigstore bundle), checks that the signature is "
      "valid, that it was made by the expected signer, and that the model has not been "
      "tampered with since: every file's digest must match. Models in any format, a "
      "directory or a single file, verify; so do signatures made by the Python "
      "model_signing tool (v0.2.0 to v1.1.x), sharded and BLAKE ones included.\n\n"
      "The PKI method is a subcommand; without one, `verify MODEL_PATH ...` means `verify "
      "sigstore MODEL_PATH ...`. Keys in a PKCS #11 token verify with `key` or "
      "`certificate`. Use each method's --help for its options.");
  add_verify_sigstore_method(verify, action);
  add_key_method(verify, action);
  add_certificate_method(verify, action);
}

}  // namespace model_signing::cli
