#include "crypto/digest.h"

#include <openssl/evp.h>

#include "model_signing/error.h"

namespace model_signing::crypto {

std::vector<std::uint8_t> sha256(const void* data, std::size_t size) {
  std::vector<std::uint8_t> out(32);
  unsigned int len = 0;
  if (EVP_Digest(data, size, out.data(), &len, EVP_sha256(), nullptr) != 1 || len != 32) {
    throw Error(ErrorKind::kUnsupported, "SHA-256 is not available from OpenSSL");
  }
  return out;
}

}  // namespace model_signing::crypto
