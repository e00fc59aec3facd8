// The SoftHSM2 tokens every PKCS#11 test uses, made once per test process in
// a temporary directory (SOFTHSM2_CONF is set for this process and passed to
// the CLI; nothing global is touched):
//   token "model-signing" (PIN 1234): EC key pairs p256/p384/p521 (ids 01,
//     02, 03) and an RSA pair "rsa" (id 09); their public keys as PEM
//     (<label>.pub) and certificates for p256 and p384 issued by a test CA
//     (<label>.crt, CA in ca.pem; the p384 one is also a certificate object
//     on the token); "stranger.crt" certifies a key that is not on the token;
//   token "second" (PIN 5678): another P-256 pair also labelled "p256", id 01
//     (second-p256.pub).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "support/pkcs11/softhsm.h"

namespace model_signing::testing {

struct TokenSetup {
  static constexpr const char* kToken = "model-signing";
  static constexpr const char* kPin = "1234";
  static constexpr const char* kSecondToken = "second";
  static constexpr const char* kSecondPin = "5678";

  SoftHsm hsm;
  unsigned long slot = 0;
  unsigned long second_slot = 0;

  std::filesystem::path file(const std::string& name) const { return hsm.path(name); }
  std::vector<std::string> env() const { return hsm.env(); }
  // "pkcs11:<path>?module-path=<SoftHSM2>&<query>" (query may be empty).
  std::string uri(const std::string& path, const std::string& query = "pin-value=1234") const;
};

const TokenSetup& token_setup();

}  // namespace model_signing::testing
