#include "support/engine_test_data.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>

#include <cstdint>

namespace model_signing::testing {

std::string pattern(std::size_t size, unsigned seed) {
  std::string out(size, '\0');
  std::uint32_t x = seed * 2654435761u + 1;
  for (auto& c : out) {
    x ^= x << 13;
    x ^= x >> 17;
    x ^= x << 5;
    c = static_cast<char>(x & 0xff);
  }
  return out;
}

Digest openssl_digest(const std::string& data, HashAlgorithm hash) {
  const EVP_MD* md = hash == HashAlgorithm::kBlake2b ? EVP_blake2b512() : EVP_sha256();
  Digest out(static_cast<std::size_t>(EVP_MD_get_size(md)));
  unsigned int len = 0;
  EXPECT_EQ(EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr), 1);
  return out;
}

}  // namespace model_signing::testing
