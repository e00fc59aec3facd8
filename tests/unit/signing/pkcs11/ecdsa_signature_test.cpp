// r || s from CKM_ECDSA to DER, checked against OpenSSL's own signatures.
#include <gtest/gtest.h>

#include <openssl/bn.h>
#include <openssl/ecdsa.h>

#include "crypto/openssl.h"
#include "crypto/signature.h"
#include "model_signing/error.h"
#include "signing/pkcs11/ecdsa_signature.h"
#include "support/test_pki.h"

namespace model_signing::pkcs11 {
namespace {

// DER -> fixed-width r || s, as a token would return it.
std::vector<std::uint8_t> to_raw(const std::vector<std::uint8_t>& der, std::size_t width) {
  const unsigned char* p = der.data();
  ECDSA_SIG* sig = d2i_ECDSA_SIG(nullptr, &p, static_cast<long>(der.size()));
  std::vector<std::uint8_t> raw(2 * width);
  BN_bn2binpad(ECDSA_SIG_get0_r(sig), raw.data(), static_cast<int>(width));
  BN_bn2binpad(ECDSA_SIG_get0_s(sig), raw.data() + width, static_cast<int>(width));
  ECDSA_SIG_free(sig);
  return raw;
}

TEST(EcdsaRawToDer, RoundTripsOpenSslSignaturesOnEveryCurve) {
  for (auto [curve, width] : {std::pair{"P-256", 32}, {"P-384", 48}, {"P-521", 66}}) {
    crypto::PkeyPtr key(testing::generate_key(curve));
    // Many signatures, so that short r or s values (leading zero bytes) occur.
    for (int i = 0; i < 64; ++i) {
      std::string message = "message " + std::to_string(i);
      auto der = crypto::sign_message(key.get(), EVP_sha256(), message);
      auto rebuilt = ecdsa_raw_to_der(to_raw(der, width), width);
      EXPECT_EQ(rebuilt, der) << curve;
      EXPECT_TRUE(crypto::verify_signature(key.get(), EVP_sha256(), message, rebuilt));
    }
  }
}

TEST(EcdsaRawToDer, RejectsAWrongLength) {
  EXPECT_THROW(ecdsa_raw_to_der(std::vector<std::uint8_t>(63, 1), 32), Error);
  EXPECT_THROW(ecdsa_raw_to_der({}, 32), Error);
}

}  // namespace
}  // namespace model_signing::pkcs11
