// Signing with a private key held in a PKCS#11 token (HSM, smart card,
// SoftHSM2), named by an RFC 7512 URI:
//
//   pkcs11:token=my-token;object=my-key?module-name=softhsm2&pin-source=/run/pin
//
// - module: `module-path=/abs/path/module.so`, or `module-name=NAME` searched
//   in the distribution's module directories (see
//   default_pkcs11_module_directories(); `softhsm2` finds libsofthsm2.so);
// - token: `slot-id=N` and/or `token=LABEL` (plus any other token attribute);
//   the first matching token is used;
// - key: `object=LABEL` and/or `id=%01%02`; the private key signs, the public
//   key object with the same label/id goes into the verification material;
// - PIN: `pin-value=...` or `pin-source=FILE` (a trailing newline is ignored);
//   without one, a reader with a PIN pad (protected authentication path)
//   takes the login.
//
// Only EC keys on P-256, P-384 and P-521 are supported. The bundles are those
// of the key and certificate methods.
#pragma once

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "model_signing/signing.h"

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing {

struct Pkcs11Options {
  // Where `module-name` is looked for; nullopt means the defaults.
  std::optional<std::vector<std::filesystem::path>> module_directories;
};

std::vector<std::filesystem::path> default_pkcs11_module_directories();

// Opens the token and finds the key now (so a wrong PIN or a missing key fails
// before any hashing); the session stays open, logged in, until the signer is
// destroyed. Throws Error: kInvalidArgument (malformed URI), kToken (module,
// token, PIN), kKey (key not found), kUnsupported (not an allowed EC key).
std::unique_ptr<Signer> make_pkcs11_key_signer(const std::string& uri,
                                               const Pkcs11Options& options = {});

// As above, with the certificate method's material; throws Error(kKey) if the
// certificate's public key is not the token key's. An empty
// `signing_certificate` means the certificate object stored on the token
// with the key's label and/or id (Error(kKey) if there is none).
std::unique_ptr<Signer> make_pkcs11_certificate_signer(
    const std::string& uri, const std::filesystem::path& signing_certificate,
    const std::vector<std::filesystem::path>& certificate_chain,
    const Pkcs11Options& options = {});

}  // namespace model_signing
#pragma GCC visibility pop
