#include "tuf/keys.h"

#include <openssl/rsa.h>

#include <stdexcept>

#include "crypto/ec_key.h"
#include "crypto/signature.h"
#include "util/encoding.h"

namespace model_signing::tuf {

namespace {

const std::string& string_field(const nlohmann::json& object, const char* name) {
  auto it = object.find(name);
  if (it == object.end() || !it->is_string()) {
    throw std::invalid_argument(std::string("\"") + name + "\" is missing or not a string");
  }
  return it->get_ref<const std::string&>();
}

// Fills pkey/md/pss for a supported keytype+scheme, or says why not.
std::string load(TufKey& key, const std::string& public_value) {
  const std::string& type = key.keytype;
  const std::string& scheme = key.scheme;
  if (scheme == "ed25519") {
    if (type != "ed25519") return "keytype " + type + " does not go with scheme ed25519";
    auto raw = util::from_hex(public_value);
    if (!raw || raw->size() != 32) return "ed25519 public key is not 64 hex digits";
    key.pkey.reset(EVP_PKEY_new_raw_public_key(EVP_PKEY_ED25519, nullptr, raw->data(), raw->size()));
    crypto::clear_openssl_errors();
    return key.pkey ? "" : "invalid ed25519 public key";
  }
  if (scheme == "ecdsa-sha2-nistp256" || scheme == "ecdsa-sha2-nistp384") {
    bool p256 = scheme == "ecdsa-sha2-nistp256";
    if (type != "ecdsa" && type != scheme) return "keytype " + type + " does not go with scheme " + scheme;
    if (public_value.find("-----BEGIN PUBLIC KEY-----") == std::string::npos) {
      return "ecdsa public key is not PEM";
    }
    crypto::PkeyPtr pkey = crypto::parse_public_key(public_value);
    if (!pkey) return "ecdsa public key does not parse";
    crypto::EcCurve curve;
    try {
      curve = crypto::require_supported_ec_key(pkey.get(), "TUF key");
    } catch (const std::exception&) {
      return "not an EC key";
    }
    if (curve != (p256 ? crypto::EcCurve::kP256 : crypto::EcCurve::kP384)) {
      return "the EC key's curve does not match scheme " + scheme;
    }
    key.pkey = std::move(pkey);
    key.md = p256 ? EVP_sha256() : EVP_sha384();
    return "";
  }
  if (scheme == "rsassa-pss-sha256") {
    if (type != "rsa") return "keytype " + type + " does not go with scheme " + scheme;
    if (public_value.find("-----BEGIN PUBLIC KEY-----") == std::string::npos) {
      return "rsa public key is not PEM";
    }
    crypto::PkeyPtr pkey = crypto::parse_public_key(public_value);
    if (!pkey || EVP_PKEY_get_base_id(pkey.get()) != EVP_PKEY_RSA) return "not an RSA public key";
    if (EVP_PKEY_get_bits(pkey.get()) < 2048) return "RSA key shorter than 2048 bits";
    key.pkey = std::move(pkey);
    key.md = EVP_sha256();
    key.pss = true;
    return "";
  }
  return "unsupported scheme " + util::printable(scheme);
}

}  // namespace

TufKey parse_key(const nlohmann::json& object) {
  if (!object.is_object()) throw std::invalid_argument("a key is not an object");
  TufKey key;
  key.keytype = string_field(object, "keytype");
  key.scheme = string_field(object, "scheme");
  auto keyval = object.find("keyval");
  if (keyval == object.end() || !keyval->is_object()) {
    throw std::invalid_argument("\"keyval\" is missing or not an object");
  }
  auto public_value = keyval->find("public");
  if (public_value == keyval->end() || !public_value->is_string()) {
    key.unusable_reason = "keyval has no \"public\" string";
    return key;
  }
  key.unusable_reason = load(key, public_value->get<std::string>());
  if (!key.unusable_reason.empty()) {
    key.pkey.reset();
    return key;
  }
  try {
    key.identity = crypto::public_key_spki_der(key.pkey.get());
  } catch (const std::exception&) {
    key.pkey.reset();
    key.unusable_reason = "the key cannot be encoded";
  }
  return key;
}

bool verify_signature(const TufKey& key, std::string_view message, std::string_view sig_hex) {
  if (!key.usable()) return false;
  auto signature = util::from_hex(sig_hex);
  if (!signature || signature->empty()) return false;
  if (!key.pss) return crypto::verify_signature(key.pkey.get(), key.md, message, *signature);
  crypto::MdCtxPtr ctx(EVP_MD_CTX_new());
  EVP_PKEY_CTX* pctx = nullptr;
  bool ok = ctx && EVP_DigestVerifyInit(ctx.get(), &pctx, key.md, nullptr, key.pkey.get()) == 1 &&
            EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING) == 1 &&
            EVP_PKEY_CTX_set_rsa_mgf1_md(pctx, key.md) == 1 &&
            EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_AUTO) == 1 &&
            EVP_DigestVerify(ctx.get(), signature->data(), signature->size(),
                             reinterpret_cast<const unsigned char*>(message.data()),
                             message.size()) == 1;
  crypto::clear_openssl_errors();
  return ok;
}

}  // namespace model_signing::tuf
