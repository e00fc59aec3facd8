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

const char* const kUriText =
    "The key is named by an RFC 7512 URI (--pkcs11-uri): the module (module-path=, or "
    "module-name= looked for in the --module-paths directories or the system's PKCS #11 "
    "module directories), the token (token=, slot-id=), the key (object=, id=) and the PIN "
    "(pin-value= or pin-source=FILE). Only EC keys on P-256, P-384 and P-521 sign; each "
    "signature is checked against the token's public key before it is written.";

struct Pkcs11Flags {
  std::string uri;
  std::vector<std::string> module_paths;
  Pkcs11Options options() const {
    Pkcs11Options out;
    if (!module_paths.empty()) out.module_directories.emplace(module_paths.begin(), module_paths.end());
    return out;
  }
};

void add_pkcs11_options(CLI::App* cmd, Pkcs11Flags& flags) {
  cmd->add_option("--pkcs11-uri", flags.uri,
                  "PKCS #11 URI (RFC 7512) of the private key, e.g. "
                  "'pkcs11:token=T;object=K?pin-source=/path/pin' (see above).")
      ->type_name("PKCS11_URI")
      ->required();
  repeatable(cmd->add_option("--module-paths", flags.module_paths,
                             "Directory where module-name= is looked for (repeatable; default: "
                             "the system's PKCS #11 module directories)."))
      ->type_name("DIRECTORY");
}

void add_pkcs11_key_method(CLI::App* sign, Action& action) {
  std::shared_ptr<SignOptions> options;
  CLI::App* cmd = add_sign_method(
      sign, "pkcs11-key", "Sign using a private key in a PKCS #11 token (paired with a public one).",
      std::string("Signs with a private key that stays in a PKCS #11 token (an HSM, a smart "
                  "card, SoftHSM2). The signature is that of `sign key`: verify it with "
                  "`verify key` and the token's public key, exported to PEM.\n\n") +
          kUriText,
      options);
  auto pkcs11 = std::make_shared<Pkcs11Flags>();
  add_pkcs11_options(cmd, *pkcs11);
  auto timestamps = std::make_shared<TimestampSignFlags>();
  add_timestamp_sign_flags(cmd, *timestamps);
  cmd->callback([=, &action] {
    action = [=] {
      return run_sign(*options, [&] {
        return with_timestamps(make_pkcs11_key_signer(pkcs11->uri, pkcs11->options()), *timestamps);
      });
    };
  });
}

void add_pkcs11_certificate_method(CLI::App* sign, Action& action) {
  std::shared_ptr<SignOptions> options;
  CLI::App* cmd = add_sign_method(
      sign, "pkcs11-certificate", "Sign using a certificate whose private key is in a PKCS #11 token.",
      std::string("Signs with a private key that stays in a PKCS #11 token, certified by "
                  "--signing-certificate or, without it, by the certificate stored on the "
                  "token with the key's label and/or id. The signature is that of `sign "
                  "certificate`: verify it with `verify certificate`. The certificate must "
                  "match the token's key and be valid now.\n\n") +
          kUriText,
      options);
  auto pkcs11 = std::make_shared<Pkcs11Flags>();
  auto certificate = std::make_shared<CertificateOptions>();
  add_pkcs11_options(cmd, *pkcs11);
  add_certificate_options(cmd, *certificate,
                          "Default: the certificate object stored on the token with the key.");
  auto timestamps = std::make_shared<TimestampSignFlags>();
  add_timestamp_sign_flags(cmd, *timestamps);
  cmd->callback([=, &action] {
    action = [=] {
      return run_sign(*options, [&] {
        return with_timestamps(make_pkcs11_certificate_signer(pkcs11->uri, certificate->signing_certificate,
                                                              certificate->chain_paths(), pkcs11->options()),
                               *timestamps);
      });
    };
  });
}

}  // namespace

void add_sign_pkcs11_methods(CLI::App* sign, Action& action) {
  add_pkcs11_key_method(sign, action);
  add_pkcs11_certificate_method(sign, action);
}

}  // namespace model_signing::cli
