// PKCS#11 URIs (RFC 7512): parsed, described, matched against a module,
// slot and token.
#include <cstring>

#include "fuzz_target.h"
#include "signing/pkcs11/pkcs11_uri.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(pkcs11_uri) {
  pkcs11::Pkcs11Uri uri;
  if (!run([&] { uri = pkcs11::Pkcs11Uri::parse(input); })) return;
  uri.names_token();
  uri.describe_object();
  CK_INFO module{};
  std::memcpy(module.manufacturerID, "SoftHSM                         ", 32);
  CK_SLOT_INFO slot{};
  CK_TOKEN_INFO token{};
  std::memset(token.label, ' ', sizeof token.label);
  std::memcpy(token.label, "token", 5);
  uri.matches(module);
  uri.matches(slot, token);
}

}  // namespace model_signing::fuzz
