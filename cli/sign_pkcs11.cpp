// `sign pkcs11-key` and `sign pkcs11-certificate`: the key and certificate
// methods with the private key held in a PKCS#11 token.
#include <memory>
#include <string>

#include "cli_options.h"
#include "model_signing/pkcs11.h"
#include "sign_support.h"
#include "timestamp_flags.h"

namespace model_signing::cli {

namespace {

void add_uri_option(CLI::App* cmd, std::string& uri) {
  cmd->add_option(names("--pkcs11-uri"), uri,
                  "PKCS #11 URI (RFC 7512) of the private key, e.g. "
                  "'pkcs11:token=T;object=K?module-name=softhsm2&pin-source=/path/pin'.")
      ->type_name("PKCS11_URI")
      ->required();
}

void add_pkcs11_key_method(CLI::App* sign, int& exit_code) {
  std::shared_ptr<SignOptions> options;
  CLI::App* cmd = add_sign_method(
      sign, "pkcs11-key", "Sign using a private key in a PKCS #11 token (paired with a public one).",
      options);
  auto uri = std::make_shared<std::string>();
  add_uri_option(cmd, *uri);
  auto timestamps = std::make_shared<TimestampSignFlags>();
  add_timestamp_sign_flags(cmd, *timestamps);
  cmd->callback([=, &exit_code] {
    exit_code = run_sign(*options, [&] { return with_timestamps(make_pkcs11_key_signer(*uri), *timestamps); });
  });
}

void add_pkcs11_certificate_method(CLI::App* sign, int& exit_code) {
  std::shared_ptr<SignOptions> options;
  CLI::App* cmd = add_sign_method(
      sign, "pkcs11-certificate",
      "Sign using a certificate whose private key is in a PKCS #11 token.", options);
  auto uri = std::make_shared<std::string>();
  auto certificate = std::make_shared<CertificateOptions>();
  add_uri_option(cmd, *uri);
  add_certificate_options(cmd, *certificate,
                          "Default: the certificate object stored on the token with the key.");
  auto timestamps = std::make_shared<TimestampSignFlags>();
  add_timestamp_sign_flags(cmd, *timestamps);
  cmd->callback([=, &exit_code] {
    exit_code = run_sign(*options, [&] {
      return with_timestamps(
          make_pkcs11_certificate_signer(*uri, certificate->signing_certificate, certificate->chain_paths()),
          *timestamps);
    });
  });
}

}  // namespace

void add_sign_pkcs11_methods(CLI::App* sign, int& exit_code) {
  add_pkcs11_key_method(sign, exit_code);
  add_pkcs11_certificate_method(sign, exit_code);
}

}  // namespace model_signing::cli
