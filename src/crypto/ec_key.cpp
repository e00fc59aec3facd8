#include "crypto/ec_key.h"

#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include "model_signing/error.h"
#include "util/file_io.h"

namespace model_signing::crypto {

namespace {

std::string ec_group_name(EVP_PKEY* key) {
  char name[80] = {0};
  size_t len = 0;
  if (EVP_PKEY_get_utf8_string_param(key, OSSL_PKEY_PARAM_GROUP_NAME, name, sizeof(name), &len) !=
      1) {
    return "";
  }
  return std::string(name, len);
}

std::optional<EcCurve> curve_of(EVP_PKEY* key) {
  if (EVP_PKEY_get_base_id(key) != EVP_PKEY_EC) return std::nullopt;
  std::string group = ec_group_name(key);
  if (group == "prime256v1" || group == "P-256") return EcCurve::kP256;
  if (group == "secp384r1" || group == "P-384") return EcCurve::kP384;
  if (group == "secp521r1" || group == "P-521") return EcCurve::kP521;
  return std::nullopt;
}

struct PasswordState {
  const std::optional<std::string>* password;
  bool asked = false;
};

int password_callback(char* buf, int size, int /*rwflag*/, void* userdata) {
  auto* state = static_cast<PasswordState*>(userdata);
  state->asked = true;
  if (!state->password->has_value()) return -1;
  const std::string& pw = **state->password;
  if (pw.size() > static_cast<std::size_t>(size)) return -1;
  std::copy(pw.begin(), pw.end(), buf);
  return static_cast<int>(pw.size());
}

}  // namespace

std::string describe_key(EVP_PKEY* key) {
  int id = EVP_PKEY_get_base_id(key);
  switch (id) {
    case EVP_PKEY_RSA:
    case EVP_PKEY_RSA_PSS:
      return "RSA (" + std::to_string(EVP_PKEY_get_bits(key)) + " bits)";
    case EVP_PKEY_ED25519:
      return "ED25519";
    case EVP_PKEY_ED448:
      return "ED448";
    case EVP_PKEY_DSA:
      return "DSA (" + std::to_string(EVP_PKEY_get_bits(key)) + " bits)";
    case EVP_PKEY_EC: {
      std::string group = ec_group_name(key);
      int bits = EVP_PKEY_get_bits(key);
      std::string nist = bits > 0 ? "P-" + std::to_string(bits) : "unknown curve";
      return "EC " + nist + " (" + (group.empty() ? "unnamed curve" : group) + ")";
    }
    default: {
      const char* name = EVP_PKEY_get0_type_name(key);
      return name ? name : "unknown key type";
    }
  }
}

EcCurve require_supported_ec_key(EVP_PKEY* key, std::string_view what) {
  if (auto curve = curve_of(key)) return *curve;
  throw Error(ErrorKind::kUnsupported,
              std::string(what) + " is " + describe_key(key) +
                  ": only EC keys on P-256, P-384 or P-521 are supported");
}

const EVP_MD* hash_for_curve(EcCurve curve) {
  switch (curve) {
    case EcCurve::kP256:
      return EVP_sha256();
    case EcCurve::kP384:
      return EVP_sha384();
    case EcCurve::kP521:
      return EVP_sha512();
  }
  return EVP_sha256();
}

std::string_view key_details_name(EcCurve curve) {
  switch (curve) {
    case EcCurve::kP256:
      return "PKIX_ECDSA_P256_SHA_256";
    case EcCurve::kP384:
      return "PKIX_ECDSA_P384_SHA_384";
    case EcCurve::kP521:
      return "PKIX_ECDSA_P521_SHA_512";
  }
  return "";
}

PkeyPtr parse_private_key_pem(std::string_view pem, const std::optional<std::string>& password,
                              const std::string& source) {
  clear_openssl_errors();
  BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  PasswordState state{&password};
  PkeyPtr key(PEM_read_bio_PrivateKey(bio.get(), nullptr, password_callback, &state));
  if (key) return key;
  std::string reason = take_openssl_error("no PEM private key found");
  if (state.asked && !password.has_value()) {
    throw Error(ErrorKind::kKey, "private key " + source + " is encrypted: a password is required");
  }
  if (state.asked) {
    throw Error(ErrorKind::kKey,
                "cannot decrypt private key " + source + ": wrong password (" + reason + ")");
  }
  throw Error(ErrorKind::kKey, "cannot load private key " + source + ": " + reason);
}

PkeyPtr load_private_key_pem(const std::filesystem::path& path,
                             const std::optional<std::string>& password) {
  std::string pem = util::read_file(path);
  return parse_private_key_pem(pem, password, path.string());
}

namespace {

// A SubjectPublicKeyInfo in DER, with nothing after it.
PkeyPtr public_key_from_der(const unsigned char* der, long size) {
  const unsigned char* p = der;
  PkeyPtr key(d2i_PUBKEY(nullptr, &p, size));
  clear_openssl_errors();
  if (key && p != der + size) return nullptr;  // trailing garbage
  return key;
}

}  // namespace

// PEM is read block by block with PEM_read_bio and the first "PUBLIC KEY"
// block decoded as DER: PEM_read_bio_PUBKEY would do the same through
// OpenSSL 3's decoder framework, which enumerates every decoder of every
// provider on first use (about a millisecond of a CLI's start-up).
PkeyPtr parse_public_key(std::string_view data) {
  clear_openssl_errors();
  if (data.find("-----BEGIN") == std::string_view::npos) {
    return public_key_from_der(reinterpret_cast<const unsigned char*>(data.data()),
                               static_cast<long>(data.size()));
  }
  BioPtr bio(BIO_new_mem_buf(data.data(), static_cast<int>(data.size())));
  for (;;) {
    char* name = nullptr;
    char* header = nullptr;
    unsigned char* der = nullptr;
    long size = 0;
    if (PEM_read_bio(bio.get(), &name, &header, &der, &size) != 1) break;
    const bool key_block = std::string_view(name) == "PUBLIC KEY";
    const bool plain = header == nullptr || *header == '\0';
    PkeyPtr key = key_block && plain ? public_key_from_der(der, size) : nullptr;
    OPENSSL_free(name);
    OPENSSL_free(header);
    OPENSSL_free(der);
    if (key_block) {
      clear_openssl_errors();
      return key;
    }
  }
  clear_openssl_errors();
  return nullptr;
}

PkeyPtr load_public_key_pem(const std::filesystem::path& path) {
  std::string pem = util::read_file(path);
  PkeyPtr key = parse_public_key(pem);
  if (!key) {
    throw Error(ErrorKind::kKey,
                "cannot load public key " + path.string() + ": not a PEM public key");
  }
  return key;
}

// PEM_write_bio_PUBKEY's output (64-column base64 of the DER), made from
// i2d_PUBKEY without OpenSSL 3's encoder framework and its start-up cost.
std::string public_key_spki_pem(EVP_PKEY* key) {
  std::string der = public_key_spki_der(key);
  BioPtr bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio(bio.get(), "PUBLIC KEY", "", reinterpret_cast<const unsigned char*>(der.data()),
                    static_cast<long>(der.size())) <= 0) {
    throw Error(ErrorKind::kKey, "cannot encode public key: " + take_openssl_error());
  }
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::string public_key_spki_der(EVP_PKEY* key) {
  unsigned char* der = nullptr;
  int len = i2d_PUBKEY(key, &der);
  if (len <= 0) throw Error(ErrorKind::kKey, "cannot encode public key: " + take_openssl_error());
  std::string out(reinterpret_cast<char*>(der), static_cast<std::size_t>(len));
  OPENSSL_free(der);
  return out;
}

bool same_public_key(EVP_PKEY* a, EVP_PKEY* b) { return EVP_PKEY_eq(a, b) == 1; }

}  // namespace model_signing::crypto
