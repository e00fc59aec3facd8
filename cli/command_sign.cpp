#include <cstdio>
#include <ctime>
#include <memory>
#include <optional>

#include "cli_options.h"
#include "commands.h"
#include "help.h"
#include "model_signing/error.h"
#include "model_signing/signature_info.h"
#include "model_signing/signing.h"
#include "progress_bar.h"
#include "sign_support.h"
#include "timestamp_flags.h"

namespace model_signing::cli {

namespace {

// The text every method's --help ends with.
const char* const kCommonSignText =
    "The model at MODEL_PATH (a directory or a single file) is hashed and the signature "
    "written to SIGNATURE_PATH (--signature, default model.sig) as a Sigstore bundle, "
    "atomically: a failed run leaves no partial file and an existing signature untouched. "
    "Files in IGNORE_PATHS are not part of the signature; git files are not either, unless "
    "--no-ignore-git-paths. A signature written inside the model excludes itself.\n\n"
    "The Python model_signing tool verifies these signatures when they are made with the "
    "defaults (--hash sha256, --serialization files) and, for a single-file model, with "
    "--single-file-name dot.";

// Signing with a certificate outside its validity window makes a
// signature nobody can verify as current: refuse it before hashing.
void check_signing_certificate(const Signer& signer) {
  const VerificationMaterial* material = signer.material();
  if (!material || material->certificates.empty()) return;
  CertificateInfo leaf = describe_certificate(material->certificates[0]);
  std::int64_t now = std::time(nullptr);
  if (now >= leaf.not_before && now <= leaf.not_after) return;
  throw Error(ErrorKind::kUntrustedSigner,
              "signing certificate " + leaf.subject + " is " +
                  (now > leaf.not_after ? "expired" : "not yet valid") + ": it is valid from " +
                  rfc3339(leaf.not_before) + " to " + rfc3339(leaf.not_after));
}

}  // namespace

int run_sign(const SignOptions& options, const std::function<std::unique_ptr<Signer>()>& make_signer) {
  Json report = new_report("sign");
  report["model"] = options.model.model_path;
  report["signature"] = options.model.signature;
  try {
    warn_about_ignore_paths(options.model);
    std::unique_ptr<Signer> signer = make_signer();
    check_signing_certificate(*signer);
    ProgressBar progress("Hashing", !options.output.quiet);
    HashingConfig hashing = hashing_config(options.model, options.hash, progress.callback());
    hashing.single_file_name =
        options.single_file_name == "dot" ? SingleFileName::kDot : SingleFileName::kBasename;
    SigningConfig config;
    config.set_hashing_config(std::move(hashing));
    config.use_signer(std::move(signer));
    SignReport signed_report = sign_from_sources(options.sources, config, options.model);
    progress.finish();
    print_sign_report(signed_report, !options.output.json());
    if (options.output.json()) {
      add_hashing(report, signed_report.manifest, signed_report.hashing);
      report["signer"] = signer_json(describe_signature(signed_report.bundle));
      report["warnings"] = signed_report.warnings;
      print_report(report);
    } else {
      std::printf("Signing succeeded\n");
    }
    return 0;
  } catch (const std::exception& e) {
    return report_failure("Signing", e, options.output, std::move(report));
  }
}

CLI::App* add_sign_method(CLI::App* sign, const char* name, const char* summary,
                          const std::string& paragraph, std::shared_ptr<SignOptions>& options) {
  options = std::make_shared<SignOptions>();
  CLI::App* cmd = sign->add_subcommand(name, summary);
  set_help_paragraph(cmd, paragraph + "\n\n" + kCommonSignText);
  add_model_options(cmd, options->model, SignatureFlag::kWrite);
  add_hash_options(cmd, options->hash);
  cmd->add_option("--single-file-name", options->single_file_name,
                  "How a single-file model's one resource is named: basename (the file's name, "
                  "as OMS says; the default) or dot (\".\", what the Python tool writes and the "
                  "only name it verifies). Both verify here.")
      ->check(CLI::IsMember({"basename", "dot"}))
      ->type_name("NAME")
      ->group("Hashing");
  add_output_options(cmd, options->output);
  add_sign_source_options(cmd, name, options->sources);
  return cmd;
}

void add_certificate_options(CLI::App* cmd, CertificateOptions& options,
                             const char* when_absent) {
  auto* option = cmd->add_option("--signing-certificate", options.signing_certificate,
                                 std::string("Path to the signing certificate, as a PEM-encoded "
                                             "file. It must be valid now.") +
                                     (when_absent ? std::string(" ") + when_absent : ""))
                     ->type_name("CERTIFICATE_PATH");
  if (!when_absent) option->required();
  repeatable(cmd->add_option("--certificate-chain", options.chain,
                             "Path to certificates of the chain of trust, PEM (repeatable; a "
                             "file may hold several). Stored in the signature after the "
                             "signing certificate."))
      ->type_name("CERTIFICATE_PATH");
}

namespace {

void add_key_method(CLI::App* sign, Action& action) {
  std::shared_ptr<SignOptions> options;
  CLI::App* cmd = add_sign_method(
      sign, "key", "Sign using a private key (paired with a public one).",
      "Signs with an EC private key (P-256, P-384 or P-521) read from a PEM file given with "
      "--private-key; an encrypted key takes --password. The signature carries a hint of the "
      "public key (the SHA-256 of its DER), not the key itself: whoever verifies needs the "
      "public key (`verify key --public-key`).\n\n"
      "This method does not tie the signature to an identity beyond the key pair, and key "
      "management is up to you.",
      options);
  auto private_key = std::make_shared<std::string>();
  auto password = std::make_shared<std::optional<std::string>>();
  cmd->add_option("--private-key", *private_key, "Path to the private key, as a PEM-encoded file.")
      ->type_name("PRIVATE_KEY")
      ->required();
  cmd->add_option("--password", *password, "Password for the key encryption, if any.")
      ->type_name("PASSWORD");
  auto timestamps = std::make_shared<TimestampSignFlags>();
  add_timestamp_sign_flags(cmd, *timestamps);
  cmd->callback([=, &action] {
    action = [=] {
      return run_sign(*options, [&] { return with_timestamps(make_key_signer(*private_key, *password), *timestamps); });
    };
  });
}

void add_certificate_method(CLI::App* sign, Action& action) {
  std::shared_ptr<SignOptions> options;
  CLI::App* cmd = add_sign_method(
      sign, "certificate", "Sign using a certificate.",
      "Signs with an EC private key (--private-key, PEM) whose public key is certified by "
      "--signing-certificate; the certificate, which names the signer, and any "
      "--certificate-chain certificates are stored in the signature, so that a verifier "
      "only needs the root of trust (`verify certificate --certificate-chain`). The key must "
      "match the certificate, and the certificate must be valid now: an expired or not yet "
      "valid one is refused, naming its validity window.\n\n"
      "Certificate and key management is up to you.",
      options);
  auto private_key = std::make_shared<std::string>();
  auto certificate = std::make_shared<CertificateOptions>();
  auto password = std::make_shared<std::optional<std::string>>();
  cmd->add_option("--private-key", *private_key, "Path to the private key, as a PEM-encoded file.")
      ->type_name("PRIVATE_KEY")
      ->required();
  add_certificate_options(cmd, *certificate);
  cmd->add_option("--password", *password, "Password for the key encryption, if any.")
      ->type_name("PASSWORD");
  auto timestamps = std::make_shared<TimestampSignFlags>();
  add_timestamp_sign_flags(cmd, *timestamps);
  cmd->callback([=, &action] {
    action = [=] {
      return run_sign(*options, [&] {
        return with_timestamps(make_certificate_signer(*private_key, certificate->signing_certificate,
                                                       certificate->chain_paths(), *password),
                               *timestamps);
      });
    };
  });
}

}  // namespace

void add_sign_command(CLI::App& app, Action& action) {
  CLI::App* sign = app.add_subcommand("sign", "Sign models.");
  set_help_paragraph(
      sign,
      "Produces a signature (a Sigstore bundle holding a DSSE envelope over an in-toto "
      "statement that lists every file's digest) for a model, a directory or a single file, "
      "in any format.\n\n"
      "The PKI method is a subcommand; without one, `sign MODEL_PATH ...` means "
      "`sign sigstore MODEL_PATH ...` (keyless signing with Sigstore). Use each method's "
      "--help for its options.");
  add_sign_sigstore_method(sign, action);
  add_key_method(sign, action);
  add_certificate_method(sign, action);
  add_sign_pkcs11_methods(sign, action);
}

}  // namespace model_signing::cli
