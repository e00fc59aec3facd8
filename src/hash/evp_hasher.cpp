#include "hash/evp_hasher.h"

#include <string>

#include "model_signing/error.h"

namespace model_signing::hash {

EvpHasher::EvpHasher(const char* name)
    : md_(EVP_MD_fetch(nullptr, name, nullptr)), ctx_(EVP_MD_CTX_new()) {
  if (!md_ || !ctx_) {
    throw Error(ErrorKind::kUnsupported, std::string("hash ") + name + " unavailable in OpenSSL");
  }
  size_ = static_cast<std::size_t>(EVP_MD_get_size(md_));
  reset();
}

EvpHasher::~EvpHasher() { EVP_MD_free(md_); }

void EvpHasher::update(const std::uint8_t* data, std::size_t size) {
  if (EVP_DigestUpdate(ctx_.get(), data, size) != 1) {
    throw Error(ErrorKind::kUnsupported, "digest update failed: " + crypto::take_openssl_error());
  }
}

void EvpHasher::finish(std::uint8_t* out) {
  unsigned int len = 0;
  if (EVP_DigestFinal_ex(ctx_.get(), out, &len) != 1) {
    throw Error(ErrorKind::kUnsupported, "digest final failed: " + crypto::take_openssl_error());
  }
}

void EvpHasher::reset() {
  if (EVP_DigestInit_ex2(ctx_.get(), md_, nullptr) != 1) {
    throw Error(ErrorKind::kUnsupported, "digest init failed: " + crypto::take_openssl_error());
  }
}

}  // namespace model_signing::hash
