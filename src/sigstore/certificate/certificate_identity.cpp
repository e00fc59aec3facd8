#include "sigstore/certificate/certificate_identity.h"

#include <openssl/x509v3.h>

#include "model_signing/error.h"
#include "util/encoding.h"

namespace model_signing::sigstore {

namespace {

constexpr const char* kUsernameOid = "1.3.6.1.4.1.57264.1.7";
constexpr const char* kIssuerV2Oid = "1.3.6.1.4.1.57264.1.8";
constexpr const char* kIssuerV1Oid = "1.3.6.1.4.1.57264.1.1";

struct ObjectDeleter {
  void operator()(ASN1_OBJECT* o) const { ASN1_OBJECT_free(o); }
};
using ObjectPtr = std::unique_ptr<ASN1_OBJECT, ObjectDeleter>;

ObjectPtr oid(const char* text) { return ObjectPtr(OBJ_txt2obj(text, 1)); }

std::string string_of(const ASN1_STRING* s) {
  return std::string(reinterpret_cast<const char*>(ASN1_STRING_get0_data(s)),
                     static_cast<std::size_t>(ASN1_STRING_length(s)));
}

// The value of the extension with this OID; nullptr if absent.
const ASN1_OCTET_STRING* extension_value(X509* cert, const char* oid_text) {
  ObjectPtr obj = oid(oid_text);
  int index = X509_get_ext_by_OBJ(cert, obj.get(), -1);
  if (index < 0) return nullptr;
  if (X509_get_ext_by_OBJ(cert, obj.get(), index) >= 0) {
    throw Error(ErrorKind::kUntrustedSigner,
                std::string("signing certificate has extension ") + oid_text + " twice");
  }
  return X509_EXTENSION_get_data(X509_get_ext(cert, index));
}

std::string join(const std::vector<std::string>& items) {
  std::string out;
  for (const auto& item : items) out += (out.empty() ? "" : ", ") + item;
  return out.empty() ? "none" : out;
}

}  // namespace

std::vector<std::string> certificate_identities(X509* cert) {
  std::vector<std::string> out;
  auto* names = static_cast<GENERAL_NAMES*>(X509_get_ext_d2i(cert, NID_subject_alt_name, nullptr, nullptr));
  if (!names) return out;
  ObjectPtr username = oid(kUsernameOid);
  for (int i = 0; i < sk_GENERAL_NAME_num(names); ++i) {
    const GENERAL_NAME* name = sk_GENERAL_NAME_value(names, i);
    if (name->type == GEN_EMAIL || name->type == GEN_URI) {
      out.push_back(string_of(name->d.ia5));
    } else if (name->type == GEN_OTHERNAME &&
               OBJ_cmp(name->d.otherName->type_id, username.get()) == 0 &&
               name->d.otherName->value->type == V_ASN1_UTF8STRING) {
      out.push_back(string_of(name->d.otherName->value->value.utf8string));
    }
  }
  GENERAL_NAMES_free(names);
  return out;
}

std::optional<std::string> certificate_oidc_issuer(X509* cert) {
  if (const ASN1_OCTET_STRING* v2 = extension_value(cert, kIssuerV2Oid)) {
    const unsigned char* p = ASN1_STRING_get0_data(v2);
    long len = ASN1_STRING_length(v2);
    const unsigned char* end = p + len;
    ASN1_UTF8STRING* value = d2i_ASN1_UTF8STRING(nullptr, &p, len);
    crypto::clear_openssl_errors();
    if (!value || p != end) {
      if (value) ASN1_UTF8STRING_free(value);
      throw Error(ErrorKind::kUntrustedSigner,
                  std::string("signing certificate's OIDC issuer extension ") + kIssuerV2Oid +
                      " is not a DER UTF8String");
    }
    std::string issuer = string_of(value);
    ASN1_UTF8STRING_free(value);
    return issuer;
  }
  if (const ASN1_OCTET_STRING* v1 = extension_value(cert, kIssuerV1Oid)) return string_of(v1);
  return std::nullopt;
}

void check_certificate_identity(X509* cert, const CertificateIdentity& expected) {
  std::vector<std::string> identities = certificate_identities(cert);
  bool matched = false;
  for (const auto& identity : identities) matched = matched || identity == expected.subject_alternative_name;
  if (!matched) {
    throw Error(ErrorKind::kUntrustedSigner,
                "signing certificate identity mismatch: expected '" +
                    expected.subject_alternative_name + "', the certificate is for " +
                    join(identities));
  }
  std::optional<std::string> issuer = certificate_oidc_issuer(cert);
  if (!issuer) {
    throw Error(ErrorKind::kUntrustedSigner, "signing certificate has no OIDC issuer extension");
  }
  if (*issuer != expected.oidc_issuer) {
    throw Error(ErrorKind::kUntrustedSigner, "signing certificate OIDC issuer mismatch: expected '" +
                                                 expected.oidc_issuer + "', the certificate says '" +
                                                 util::excerpt(*issuer) + "'");
  }
}

}  // namespace model_signing::sigstore
