// PEM (and DER) keys and certificates as the CLI and the verifiers read
// them: public keys, private keys (with and without a password),
// certificate lists, and the EC key rules applied to what loads.
#include "crypto/ec_key.h"
#include "crypto/x509.h"
#include "fuzz_target.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(pem) {
  run([&] {
    crypto::PkeyPtr key = crypto::parse_public_key(input);
    if (!key) return;  // not a public key
    crypto::describe_key(key.get());
    crypto::require_supported_ec_key(key.get(), "fuzz key");
  });
  run([&] {
    crypto::PkeyPtr key = crypto::parse_private_key_pem(input, std::nullopt, "fuzz");
    crypto::require_supported_ec_key(key.get(), "fuzz key");
  });
  run([&] { crypto::parse_private_key_pem(input, std::string("password"), "fuzz"); });
  run([&] {
    for (const auto& cert : crypto::parse_certificates_pem(input, "fuzz")) {
      crypto::sha256_fingerprint(cert.get());
      crypto::subject_name(cert.get());
      crypto::allows_code_signing(cert.get());
      crypto::is_self_signed(cert.get());
    }
  });
  run([&] {
    crypto::X509Ptr cert = crypto::parse_certificate_der(std::vector<std::uint8_t>(input.begin(), input.end()));
    if (!cert) return;  // not a DER certificate
    crypto::subject_name(cert.get());
  });
}

}  // namespace model_signing::fuzz
