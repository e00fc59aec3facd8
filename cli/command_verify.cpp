#include <cstdio>
#include <memory>

#include "cli_options.h"
#include "commands.h"
#include "model_signing/error.h"
#include "model_signing/verifying.h"
#include "progress_bar.h"
#include "verify_support.h"

namespace model_signing::cli {

int run_verify(const VerifyOptions& options,
               const std::function<std::unique_ptr<Verifier>()>& make_verifier) {
  try {
    ProgressBar progress("Hashing");
    VerifyingConfig config;
    config.add_ignore_paths(absolute_paths(options.model.ignore_paths))
        .set_ignore_git_paths(options.model.ignore_git_paths)
        .set_allow_symlinks(options.model.allow_symlinks)
        .set_max_workers(options.model.max_workers)
        .set_ignore_unsigned_files(options.ignore_unsigned_files)
        .set_progress(progress.callback())
        .use_verifier(make_verifier());
    VerificationResult result = verify_from_sources(options.sources, config, options.model);
    progress.finish();
    for (const auto& line : result.details) std::fprintf(stderr, "%s\n", line.c_str());
    for (const auto& line : result.warnings) std::fprintf(stderr, "Warning: %s\n", line.c_str());
    std::printf("%s\n", verify_success_line(options.sources, result).c_str());
    return 0;
  } catch (const std::exception& e) {
    return report_failure("Verification", e);
  }
}

CLI::App* add_verify_method(CLI::App* verify, const char* name, const char* help,
                            std::shared_ptr<VerifyOptions>& options) {
  options = std::make_shared<VerifyOptions>();
  CLI::App* cmd = verify->add_subcommand(name, help);
  add_model_options(cmd, options->model, SignatureFlag::kRead);
  cmd->add_flag(names("--ignore-unsigned-files"), options->ignore_unsigned_files,
                "Verify only the files the signature lists; other files are not an error.");
  add_verify_source_options(cmd, options->sources);
  return cmd;
}

namespace {

void add_key_method(CLI::App* verify, int& exit_code) {
  std::shared_ptr<VerifyOptions> options;
  CLI::App* cmd = add_verify_method(verify, "key", "Verify using a public key (paired with a private one).",
                             options);
  auto public_key = std::make_shared<std::string>();
  cmd->add_option(names("--public-key"), *public_key, "Path to the public key used for verification.")
      ->type_name("PUBLIC_KEY")
      ->required();
  cmd->callback([=, &exit_code] {
    exit_code = run_verify(*options, [&] { return make_key_verifier(*public_key); });
  });
}

void add_certificate_method(CLI::App* verify, int& exit_code) {
  std::shared_ptr<VerifyOptions> options;
  CLI::App* cmd = add_verify_method(verify, "certificate", "Verify using a certificate.", options);
  auto certificate_options = std::make_shared<CertificateVerifierOptions>();
  auto chain = std::make_shared<std::vector<std::string>>();
  repeatable(cmd->add_option(names("--certificate-chain"), *chain,
                  "Trust anchors: PEM certificate files (repeatable). Default: system trust store."))
      ->type_name("CERTIFICATE_PATH");
  cmd->add_flag(names("--log-fingerprints"), certificate_options->log_fingerprints,
                "Print the SHA-256 fingerprints of the bundle's certificates.");
  cmd->add_flag(names("--allow-expired-certificate"), certificate_options->allow_expired_certificate,
                "Accept a signing certificate that has expired since it was issued (checks the "
                "chain at the certificate's notBefore time, as the Python tool does).");
  cmd->callback([=, &exit_code] {
    exit_code = run_verify(*options, [&] {
      CertificateVerifierOptions opts = *certificate_options;
      opts.trust_anchors.assign(chain->begin(), chain->end());
      return make_certificate_verifier(opts);
    });
  });
}

}  // namespace

void add_verify_command(CLI::App& app, int& exit_code) {
  CLI::App* verify = app.add_subcommand(
      "verify",
      "Verify models. PKI_METHOD is sigstore (default), key or certificate; "
      "see `verify PKI_METHOD --help`.");
  verify->require_subcommand(1);
  add_verify_sigstore_method(verify, exit_code);
  add_key_method(verify, exit_code);
  add_certificate_method(verify, exit_code);
}

}  // namespace model_signing::cli
