#include "crypto/key_algorithm.h"

#include "crypto/ec_key.h"
#include "crypto/signature.h"
#include "model_signing/error.h"

namespace model_signing::crypto {

const EVP_MD* signing_hash(EVP_PKEY* key, const std::string& what) {
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_EC:
      return hash_for_curve(require_supported_ec_key(key, what));
    case EVP_PKEY_RSA:
      return EVP_sha256();
    case EVP_PKEY_ED25519:
      return nullptr;
    default:
      throw Error(ErrorKind::kUnsupported,
                  what + " is " + describe_key(key) +
                      ": Sigstore verification supports ECDSA, RSA and Ed25519 keys");
  }
}

bool verify_message_signature(EVP_PKEY* key, std::string_view message, const Bytes& signature,
                              const std::string& what) {
  return verify_signature(key, signing_hash(key, what), message, signature);
}

Bytes digest_of(const EVP_MD* md, std::string_view data) {
  Bytes out(EVP_MD_get_size(md));
  unsigned int len = 0;
  if (EVP_Digest(data.data(), data.size(), out.data(), &len, md, nullptr) != 1) {
    throw Error(ErrorKind::kUnsupported, "digest not available from OpenSSL");
  }
  out.resize(len);
  return out;
}

const EVP_MD* hash_by_proto_name(std::string_view name) {
  if (name == "SHA2_256") return EVP_sha256();
  if (name == "SHA2_384") return EVP_sha384();
  if (name == "SHA2_512") return EVP_sha512();
  return nullptr;
}

const EVP_MD* hash_by_rekor_name(std::string_view name) {
  if (name == "sha256") return EVP_sha256();
  if (name == "sha384") return EVP_sha384();
  if (name == "sha512") return EVP_sha512();
  return nullptr;
}

}  // namespace model_signing::crypto
