#include "signing/pkcs11/ecdsa_signature.h"

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include <memory>
#include <string>

#include "crypto/openssl.h"
#include "model_signing/error.h"

namespace model_signing::pkcs11 {

std::vector<std::uint8_t> ecdsa_raw_to_der(const std::vector<std::uint8_t>& raw,
                                           std::size_t field_bytes) {
  if (field_bytes == 0 || raw.size() != 2 * field_bytes) {
    throw Error(ErrorKind::kToken, "the PKCS#11 token returned an ECDSA signature of " +
                                       std::to_string(raw.size()) + " bytes, expected " +
                                       std::to_string(2 * field_bytes));
  }
  const int half = static_cast<int>(field_bytes);
  std::unique_ptr<ECDSA_SIG, crypto::Deleter<ECDSA_SIG_free>> sig(ECDSA_SIG_new());
  BIGNUM* r = BN_bin2bn(raw.data(), half, nullptr);
  BIGNUM* s = BN_bin2bn(raw.data() + half, half, nullptr);
  if (!sig || !r || !s || ECDSA_SIG_set0(sig.get(), r, s) != 1) {
    BN_free(r);
    BN_free(s);
    throw Error(ErrorKind::kToken, "cannot encode the ECDSA signature: " + crypto::take_openssl_error());
  }
  int len = i2d_ECDSA_SIG(sig.get(), nullptr);
  std::vector<std::uint8_t> der(len > 0 ? static_cast<std::size_t>(len) : 0);
  unsigned char* out = der.data();
  if (len <= 0 || i2d_ECDSA_SIG(sig.get(), &out) != len) {
    throw Error(ErrorKind::kToken, "cannot encode the ECDSA signature: " + crypto::take_openssl_error());
  }
  return der;
}

}  // namespace model_signing::pkcs11
