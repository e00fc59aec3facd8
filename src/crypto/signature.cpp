#include "crypto/signature.h"

#include "model_signing/error.h"

namespace model_signing::crypto {

namespace {

bool signs_raw_message(EVP_PKEY* key) {
  int id = EVP_PKEY_get_base_id(key);
  return id == EVP_PKEY_ED25519 || id == EVP_PKEY_ED448;
}

}  // namespace

bool verify_signature(EVP_PKEY* key, const EVP_MD* md, std::string_view message,
                      const std::vector<std::uint8_t>& signature) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!ctx) return false;
  const EVP_MD* digest = signs_raw_message(key) ? nullptr : md;
  bool ok = EVP_DigestVerifyInit(ctx.get(), nullptr, digest, nullptr, key) == 1 &&
            EVP_DigestVerify(ctx.get(), signature.data(), signature.size(),
                             reinterpret_cast<const unsigned char*>(message.data()),
                             message.size()) == 1;
  clear_openssl_errors();
  return ok;
}

bool verify_prehashed_signature(EVP_PKEY* key, const EVP_MD* md,
                                const std::vector<std::uint8_t>& digest,
                                const std::vector<std::uint8_t>& signature) {
  if (signs_raw_message(key) || static_cast<int>(digest.size()) != EVP_MD_get_size(md)) {
    return false;
  }
  PkeyCtxPtr ctx(EVP_PKEY_CTX_new(key, nullptr));
  bool ok = ctx && EVP_PKEY_verify_init(ctx.get()) == 1 &&
            EVP_PKEY_CTX_set_signature_md(ctx.get(), md) == 1 &&
            EVP_PKEY_verify(ctx.get(), signature.data(), signature.size(), digest.data(),
                            digest.size()) == 1;
  clear_openssl_errors();
  return ok;
}

std::vector<std::uint8_t> sign_message(EVP_PKEY* key, const EVP_MD* md, std::string_view message) {
  MdCtxPtr ctx(EVP_MD_CTX_new());
  const EVP_MD* digest = signs_raw_message(key) ? nullptr : md;
  std::size_t len = 0;
  const auto* data = reinterpret_cast<const unsigned char*>(message.data());
  if (!ctx || EVP_DigestSignInit(ctx.get(), nullptr, digest, nullptr, key) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &len, data, message.size()) != 1) {
    throw Error(ErrorKind::kKey, "cannot sign: " + take_openssl_error());
  }
  std::vector<std::uint8_t> sig(len);
  if (EVP_DigestSign(ctx.get(), sig.data(), &len, data, message.size()) != 1) {
    throw Error(ErrorKind::kKey, "cannot sign: " + take_openssl_error());
  }
  sig.resize(len);
  return sig;
}

}  // namespace model_signing::crypto
