#include "signing/pkcs11/pkcs11_private_key.h"

#include <openssl/crypto.h>
#include <openssl/evp.h>

#include <mutex>
#include <optional>

#include "crypto/ec_key.h"
#include "crypto/key_algorithm.h"
#include "model_signing/error.h"
#include "signing/pkcs11/ecdsa_signature.h"
#include "signing/pkcs11/module_locator.h"
#include "signing/pkcs11/pkcs11_module.h"
#include "signing/pkcs11/pkcs11_uri.h"
#include "signing/pkcs11/token_objects.h"

namespace model_signing::pkcs11 {

namespace {

class Pkcs11PrivateKey final : public PrivateKey {
 public:
  Pkcs11PrivateKey(const Pkcs11Uri& uri, const std::filesystem::path& module_path,
                   const std::optional<std::string>& pin)
      : module_(module_path), token_(select_token(module_, uri)), session_(module_, token_.slot) {
    if (pin) {
      login_.emplace(module_, token_.slot, session_, *pin, token_.label);
    } else if (token_.login_required && token_.pin_pad) {
      login_.emplace(module_, token_.slot, session_, std::nullopt, token_.label);
    }
    key_name_ = "PKCS#11 key with " + uri.describe_object() + " on token '" + token_.label + "'";

    private_key_ = find_key_object(session_, CKO_PRIVATE_KEY, uri);
    if (private_key_ == CK_INVALID_HANDLE) {
      std::string hint = !login_ && token_.login_required
                             ? " (no PIN given: add pin-value or pin-source to the URI)"
                             : "";
      throw Error(ErrorKind::kKey, "no private key with " + uri.describe_object() +
                                       " on PKCS#11 token '" + token_.label + "'" + hint);
    }
    CK_KEY_TYPE type = key_type(session_, private_key_);
    if (type != CKK_EC) {
      throw Error(ErrorKind::kUnsupported, key_name_ + " is " + key_type_name(type) +
                                               ": only EC keys on P-256, P-384 or P-521 are "
                                               "supported");
    }
    CK_OBJECT_HANDLE public_key = find_key_object(session_, CKO_PUBLIC_KEY, uri);
    if (public_key == CK_INVALID_HANDLE) {
      throw Error(ErrorKind::kKey, "no public key object with " + uri.describe_object() +
                                       " on PKCS#11 token '" + token_.label +
                                       "' (the public key is read from the token)");
    }
    public_key_ = read_ec_public_key(session_, public_key, key_name_);
    curve_ = crypto::require_supported_ec_key(public_key_.get(), key_name_);
  }

  std::vector<std::uint8_t> public_key_der() const override {
    std::string der = crypto::public_key_spki_der(public_key_.get());
    return {der.begin(), der.end()};
  }

  std::string description() const override { return key_name_; }

  crypto::X509Ptr certificate(const Pkcs11Uri& uri) const {
    crypto::X509Ptr cert = find_certificate(session_, uri, token_.label);
    if (!cert) {
      throw Error(ErrorKind::kKey, "no --signing-certificate given and no certificate object with " +
                                       uri.describe_object() + " on PKCS#11 token '" +
                                       token_.label + "'");
    }
    return cert;
  }

  std::vector<std::uint8_t> sign(std::string_view message) override {
    std::lock_guard lock(mutex_);  // one operation at a time on the session
    const EVP_MD* md = crypto::hash_for_curve(curve_);
    std::vector<std::uint8_t> hash = crypto::digest_of(md, message);
    CK_FUNCTION_LIST* fn = session_.functions();
    CK_MECHANISM mechanism{CKM_ECDSA, nullptr, 0};
    CK_RV rv = fn->C_SignInit(session_.handle(), &mechanism, private_key_);
    if (rv == CKR_USER_NOT_LOGGED_IN) {
      throw Error(ErrorKind::kToken, "cannot sign with " + key_name_ +
                                         ": the token requires a login (add pin-value or "
                                         "pin-source to the URI)");
    }
    check_rv(rv, "cannot sign with " + key_name_);
    CK_ULONG length = 0;
    check_rv(fn->C_Sign(session_.handle(), hash.data(), hash.size(), nullptr, &length),
             "cannot sign with " + key_name_);
    std::vector<std::uint8_t> raw(length);
    check_rv(fn->C_Sign(session_.handle(), hash.data(), hash.size(), raw.data(), &length),
             "cannot sign with " + key_name_);
    raw.resize(length);

    // (A public key object that is not the private key's pair is caught by
    // the signer, which checks every signature: signing/checked_key.h.)
    const auto field_bytes = static_cast<std::size_t>((EVP_PKEY_get_bits(public_key_.get()) + 7) / 8);
    return ecdsa_raw_to_der(raw, field_bytes);
  }

 private:
  // Declaration order is the order of opening; destruction closes in reverse.
  Module module_;
  SelectedToken token_;
  Session session_;
  std::optional<Login> login_;
  std::string key_name_;
  CK_OBJECT_HANDLE private_key_ = CK_INVALID_HANDLE;
  crypto::PkeyPtr public_key_;
  crypto::EcCurve curve_ = crypto::EcCurve::kP256;
  std::mutex mutex_;
};

}  // namespace

namespace {

struct OpenedKey {
  Pkcs11Uri uri;
  std::unique_ptr<Pkcs11PrivateKey> key;
};

OpenedKey open_key(std::string_view uri_text,
                   const std::vector<std::filesystem::path>& module_directories) {
  Pkcs11Uri uri = Pkcs11Uri::parse(uri_text);
  std::filesystem::path module = locate_module(uri, module_directories);
  std::optional<std::string> pin = read_pin(uri);
  // Our copies of the PIN do not outlive the login, whatever happens: wiped
  // on the way out, and gone from the URI before the URI is handed back.
  struct Wipe {
    std::optional<std::string>& secret;
    void operator()() {
      if (secret) OPENSSL_cleanse(secret->data(), secret->size());
    }
    ~Wipe() { (*this)(); }
  } wipe_pin{pin}, wipe_uri_pin{uri.pin_value};
  auto key = std::make_unique<Pkcs11PrivateKey>(uri, module, pin);
  wipe_uri_pin();
  uri.pin_value.reset();
  return {std::move(uri), std::move(key)};
}

}  // namespace

std::unique_ptr<PrivateKey> open_private_key(
    std::string_view uri_text, const std::vector<std::filesystem::path>& module_directories) {
  return open_key(uri_text, module_directories).key;
}

KeyWithCertificate open_private_key_and_certificate(
    std::string_view uri_text, const std::vector<std::filesystem::path>& module_directories) {
  OpenedKey opened = open_key(uri_text, module_directories);
  crypto::X509Ptr certificate = opened.key->certificate(opened.uri);
  return {std::move(opened.key), std::move(certificate)};
}

}  // namespace model_signing::pkcs11
