#include <cstdio>
#include <memory>
#include <optional>

#include "cli_options.h"
#include "commands.h"
#include "model_signing/error.h"
#include "model_signing/signing.h"
#include "progress_bar.h"
#include "sign_support.h"

namespace model_signing::cli {

int run_sign(const SignOptions& options, const std::function<std::unique_ptr<Signer>()>& make_signer) {
  try {
    ProgressBar progress("Hashing");
    SigningConfig config;
    config.set_hashing_config(hashing_config(options.model, options.hash, progress.callback()));
    config.use_signer(make_signer());
    SignReport report = sign_from_sources(options.sources, config, options.model);
    progress.finish();
    print_sign_report(report);
    std::printf("Signing succeeded\n");
    return 0;
  } catch (const std::exception& e) {
    return report_failure("Signing", e);
  }
}

CLI::App* add_sign_method(CLI::App* sign, const char* name, const char* help,
                          std::shared_ptr<SignOptions>& options) {
  options = std::make_shared<SignOptions>();
  CLI::App* cmd = sign->add_subcommand(name, help);
  add_model_options(cmd, options->model, SignatureFlag::kWrite);
  add_hash_options(cmd, options->hash);
  add_sign_source_options(cmd, name, options->sources);
  return cmd;
}

void add_certificate_options(CLI::App* cmd, CertificateOptions& options,
                             const char* when_absent) {
  auto* option = cmd->add_option(names("--signing-certificate"), options.signing_certificate,
                                 std::string("Path to the signing certificate, as a PEM-encoded "
                                             "file.") +
                                     (when_absent ? std::string(" ") + when_absent : ""))
                     ->type_name("CERTIFICATE_PATH");
  if (!when_absent) option->required();
  repeatable(cmd->add_option(names("--certificate-chain"), options.chain,
                             "Path to a certificate chain file (repeatable)."))
      ->type_name("CERTIFICATE_PATH");
}

namespace {

void add_key_method(CLI::App* sign, int& exit_code) {
  std::shared_ptr<SignOptions> options;
  CLI::App* cmd = add_sign_method(sign, "key", "Sign using a private key (paired with a public one).",
                             options);
  auto private_key = std::make_shared<std::string>();
  auto password = std::make_shared<std::optional<std::string>>();
  cmd->add_option(names("--private-key"), *private_key, "Path to the private key, as a PEM-encoded file.")
      ->type_name("PRIVATE_KEY")
      ->required();
  cmd->add_option("--password", *password, "Password for the key encryption, if any")
      ->type_name("PASSWORD");
  cmd->callback([=, &exit_code] {
    exit_code = run_sign(*options, [&] { return make_key_signer(*private_key, *password); });
  });
}

void add_certificate_method(CLI::App* sign, int& exit_code) {
  std::shared_ptr<SignOptions> options;
  CLI::App* cmd = add_sign_method(sign, "certificate", "Sign using a certificate.", options);
  auto private_key = std::make_shared<std::string>();
  auto certificate = std::make_shared<CertificateOptions>();
  auto password = std::make_shared<std::optional<std::string>>();
  cmd->add_option(names("--private-key"), *private_key, "Path to the private key, as a PEM-encoded file.")
      ->type_name("PRIVATE_KEY")
      ->required();
  add_certificate_options(cmd, *certificate);
  cmd->add_option("--password", *password, "Password for the key encryption, if any")
      ->type_name("PASSWORD");
  cmd->callback([=, &exit_code] {
    exit_code = run_sign(*options, [&] {
      return make_certificate_signer(*private_key, certificate->signing_certificate,
                                     certificate->chain_paths(), *password);
    });
  });
}

}  // namespace

void add_sign_command(CLI::App& app, int& exit_code) {
  CLI::App* sign = app.add_subcommand(
      "sign",
      "Sign models. PKI_METHOD is sigstore (default), key, certificate, pkcs11-key or "
      "pkcs11-certificate; "
      "see `sign PKI_METHOD --help`.");
  sign->require_subcommand(1);
  add_sign_sigstore_method(sign, exit_code);
  add_key_method(sign, exit_code);
  add_certificate_method(sign, exit_code);
  add_sign_pkcs11_methods(sign, exit_code);
}

}  // namespace model_signing::cli
