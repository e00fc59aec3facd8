// The seam for key backends: a private key that signs bytes and reports its
// public key. A PEM file and a PKCS#11 token are implementations inside the
// library; implement it yourself to sign with a key the library cannot load
// (a cloud KMS, an agent, a remote signer) and pass it to make_key_signer()
// or make_certificate_signer() (signing.h). The bundles are exactly those of
// the key and certificate methods. See examples/custom_signer/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing {

class PrivateKey {
 public:
  virtual ~PrivateKey() = default;

  // The matching public key as a DER SubjectPublicKeyInfo. It must be an EC
  // key on P-256, P-384 or P-521 (the curves model signing allows); other
  // keys are refused with Error(kUnsupported).
  virtual std::vector<std::uint8_t> public_key_der() const = 0;

  // Signs `message` (the DSSE pre-authentication encoding of the statement):
  // ECDSA over the message hashed with the curve's hash (SHA-256 for P-256,
  // SHA-384 for P-384, SHA-512 for P-521), returned DER-encoded
  // (ECDSA-Sig-Value). Report failures by throwing model_signing::Error
  // (kKey, kToken, kNetwork...). The library calls it one call at a time per
  // key, and checks every signature with public_key_der() before it uses it:
  // a signature that does not verify fails the signing with Error(kKey).
  virtual std::vector<std::uint8_t> sign(std::string_view message) = 0;

  // What the key is called in error messages ("KMS key projects/p/keys/k").
  virtual std::string description() const { return "private key"; }
};

}  // namespace model_signing
#pragma GCC visibility pop
