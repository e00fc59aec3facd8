#include "signing/pkcs11/token_objects.h"

#include <openssl/x509.h>

#include <openssl/asn1.h>
#include <openssl/core_names.h>
#include <openssl/objects.h>
#include <openssl/param_build.h>

#include <cstdio>
#include <optional>
#include <vector>

#include "model_signing/error.h"
#include "signing/pkcs11/p11_kit_library.h"

namespace model_signing::pkcs11 {

namespace {

std::string padded_text(const unsigned char* field, std::size_t size) {
  return std::string(reinterpret_cast<const char*>(field), p11_kit().space_strlen(field, size));
}

std::vector<CK_SLOT_ID> slots_with_token(CK_FUNCTION_LIST* fn) {
  std::vector<CK_SLOT_ID> slots;
  for (;;) {
    CK_ULONG count = 0;
    check_rv(fn->C_GetSlotList(CK_TRUE, nullptr, &count), "cannot list PKCS#11 slots");
    slots.resize(count);
    CK_RV rv = fn->C_GetSlotList(CK_TRUE, slots.data(), &count);
    if (rv == CKR_BUFFER_TOO_SMALL) continue;  // a token arrived in between
    check_rv(rv, "cannot list PKCS#11 slots");
    slots.resize(count);
    return slots;
  }
}

std::string describe_wanted_token(const Pkcs11Uri& uri) {
  std::string text;
  if (uri.token) text = "token '" + *uri.token + "'";
  if (uri.slot_id) text += (text.empty() ? "" : " in ") + ("slot-id " + std::to_string(*uri.slot_id));
  return text.empty() ? "the URI's token attributes" : text;
}

// Ends a C_FindObjectsInit search on every path.
class ObjectSearch {
 public:
  ObjectSearch(const Session& session, std::vector<CK_ATTRIBUTE>& search_template)
      : session_(session) {
    check_rv(session.functions()->C_FindObjectsInit(session.handle(), search_template.data(),
                                                    search_template.size()),
             "cannot search the PKCS#11 token");
  }
  ~ObjectSearch() { session_.functions()->C_FindObjectsFinal(session_.handle()); }
  ObjectSearch(const ObjectSearch&) = delete;
  ObjectSearch& operator=(const ObjectSearch&) = delete;

  std::vector<CK_OBJECT_HANDLE> next(CK_ULONG max) {
    std::vector<CK_OBJECT_HANDLE> found(max);
    CK_ULONG count = 0;
    check_rv(session_.functions()->C_FindObjects(session_.handle(), found.data(), max, &count),
             "cannot search the PKCS#11 token");
    found.resize(count);
    return found;
  }

 private:
  const Session& session_;
};

std::optional<std::vector<std::uint8_t>> attribute(const Session& session, CK_OBJECT_HANDLE object,
                                                   CK_ATTRIBUTE_TYPE type) {
  CK_ATTRIBUTE attr{type, nullptr, 0};
  CK_RV rv = session.functions()->C_GetAttributeValue(session.handle(), object, &attr, 1);
  if (rv != CKR_OK || attr.ulValueLen == CK_UNAVAILABLE_INFORMATION) return std::nullopt;
  std::vector<std::uint8_t> value(attr.ulValueLen);
  attr.pValue = value.data();
  rv = session.functions()->C_GetAttributeValue(session.handle(), object, &attr, 1);
  if (rv != CKR_OK) return std::nullopt;
  value.resize(attr.ulValueLen);
  return value;
}

// CKA_EC_POINT is a DER OCTET STRING holding the point; a few tokens return
// the bare point instead.
std::vector<std::uint8_t> unwrap_ec_point(const std::vector<std::uint8_t>& value) {
  const unsigned char* p = value.data();
  ASN1_OCTET_STRING* octets = d2i_ASN1_OCTET_STRING(nullptr, &p, static_cast<long>(value.size()));
  if (!octets) return value;
  std::vector<std::uint8_t> point;
  if (p == value.data() + value.size()) {
    const unsigned char* data = ASN1_STRING_get0_data(octets);
    point.assign(data, data + ASN1_STRING_length(octets));
  } else {
    point = value;
  }
  ASN1_OCTET_STRING_free(octets);
  return point;
}

// The curve's short name from CKA_EC_PARAMS, which must be a named curve OID.
std::string curve_name(const std::vector<std::uint8_t>& params, const std::string& what) {
  const unsigned char* p = params.data();
  ASN1_OBJECT* oid = d2i_ASN1_OBJECT(nullptr, &p, static_cast<long>(params.size()));
  bool complete = oid && p == params.data() + params.size();
  int nid = oid ? OBJ_obj2nid(oid) : NID_undef;
  char text[80] = "";
  if (oid) OBJ_obj2txt(text, sizeof(text), oid, 1);
  ASN1_OBJECT_free(oid);
  if (!complete) {
    throw Error(ErrorKind::kUnsupported,
                what + " does not use a named curve: only P-256, P-384 and P-521 are supported");
  }
  if (nid == NID_undef) {
    throw Error(ErrorKind::kUnsupported, what + " uses an unknown curve (" + text +
                                             "): only P-256, P-384 and P-521 are supported");
  }
  return OBJ_nid2sn(nid);
}

}  // namespace

SelectedToken select_token(const Module& module, const Pkcs11Uri& uri) {
  CK_FUNCTION_LIST* fn = module.functions();
  CK_INFO info;
  check_rv(fn->C_GetInfo(&info), "cannot query PKCS#11 module " + module.path().string());
  if (!uri.matches(info)) {
    throw Error(ErrorKind::kToken, "PKCS#11 module " + module.path().string() +
                                       " does not match the URI's library attributes");
  }
  if (!uri.names_token()) {
    throw Error(ErrorKind::kInvalidArgument,
                "the PKCS#11 URI names no token: add token=LABEL or slot-id=N");
  }
  std::string present;
  for (CK_SLOT_ID slot : slots_with_token(fn)) {
    CK_SLOT_INFO slot_info;
    CK_TOKEN_INFO token_info;
    if (fn->C_GetSlotInfo(slot, &slot_info) != CKR_OK ||
        fn->C_GetTokenInfo(slot, &token_info) != CKR_OK) {
      continue;
    }
    std::string label = padded_text(token_info.label, sizeof(token_info.label));
    if ((!uri.slot_id || *uri.slot_id == slot) && uri.matches(slot_info, token_info)) {
      return {slot, label, (token_info.flags & CKF_LOGIN_REQUIRED) != 0,
              (token_info.flags & CKF_PROTECTED_AUTHENTICATION_PATH) != 0};
    }
    std::string name = (token_info.flags & CKF_TOKEN_INITIALIZED) ? "'" + label + "'"
                                                                  : "an uninitialized token";
    present += (present.empty() ? "" : ", ") + name + " (slot-id " + std::to_string(slot) + ")";
  }
  throw Error(ErrorKind::kToken, "no PKCS#11 token matches " + describe_wanted_token(uri) +
                                     " in module " + module.path().string() + "; " +
                                     (present.empty() ? "no token is present"
                                                      : "tokens present: " + present));
}

CK_OBJECT_HANDLE find_key_object(const Session& session, CK_OBJECT_CLASS object_class,
                                 const Pkcs11Uri& uri) {
  std::vector<CK_ATTRIBUTE> search_template{{CKA_CLASS, &object_class, sizeof(object_class)}};
  std::string label = uri.object.value_or("");
  std::vector<std::uint8_t> id = uri.id.value_or(std::vector<std::uint8_t>{});
  if (uri.object) search_template.push_back({CKA_LABEL, label.data(), label.size()});
  if (uri.id) search_template.push_back({CKA_ID, id.data(), id.size()});
  std::vector<CK_OBJECT_HANDLE> found = ObjectSearch(session, search_template).next(2);
  if (found.size() > 1) {
    const char* what = object_class == CKO_PRIVATE_KEY  ? "private keys"
                       : object_class == CKO_PUBLIC_KEY ? "public keys"
                                                        : "certificates";
    throw Error(ErrorKind::kKey, std::string("several PKCS#11 ") + what + " match " +
                                     uri.describe_object() +
                                     ": add id or object to the URI to choose one");
  }
  return found.empty() ? CK_INVALID_HANDLE : found[0];
}

crypto::X509Ptr find_certificate(const Session& session, const Pkcs11Uri& uri,
                                 const std::string& token_label) {
  CK_OBJECT_HANDLE object = find_key_object(session, CKO_CERTIFICATE, uri);
  if (object == CK_INVALID_HANDLE) return nullptr;
  auto der = attribute(session, object, CKA_VALUE);
  const unsigned char* p = der ? der->data() : nullptr;
  crypto::X509Ptr cert(der ? d2i_X509(nullptr, &p, static_cast<long>(der->size())) : nullptr);
  if (!cert || p != der->data() + der->size()) {
    throw Error(ErrorKind::kKey, "the certificate object with " + uri.describe_object() +
                                     " on PKCS#11 token '" + token_label +
                                     "' does not hold a DER X.509 certificate");
  }
  return cert;
}

CK_KEY_TYPE key_type(const Session& session, CK_OBJECT_HANDLE key) {
  CK_KEY_TYPE type = 0;
  CK_ATTRIBUTE attr{CKA_KEY_TYPE, &type, sizeof(type)};
  check_rv(session.functions()->C_GetAttributeValue(session.handle(), key, &attr, 1),
           "cannot read the type of the PKCS#11 key");
  return type;
}

std::string key_type_name(CK_KEY_TYPE type) {
  switch (type) {
    case CKK_RSA:
      return "RSA";
    case CKK_DSA:
      return "DSA";
    case CKK_DH:
      return "DH";
    case CKK_EC:
      return "EC";
    case CKK_EC_EDWARDS:
      return "EdDSA";
    case CKK_GENERIC_SECRET:
      return "generic secret";
    case CKK_AES:
      return "AES";
    default: {
      char code[32];
      std::snprintf(code, sizeof(code), "0x%lX", static_cast<unsigned long>(type));
      return std::string("type ") + code;
    }
  }
}

crypto::PkeyPtr read_ec_public_key(const Session& session, CK_OBJECT_HANDLE key,
                                   const std::string& what) {
  auto params = attribute(session, key, CKA_EC_PARAMS);
  auto point_attr = attribute(session, key, CKA_EC_POINT);
  if (!params || !point_attr) {
    throw Error(ErrorKind::kKey, what + " has no readable EC parameters or point");
  }
  std::string group = curve_name(*params, what);
  std::vector<std::uint8_t> point = unwrap_ec_point(*point_attr);

  crypto::PkeyCtxPtr ctx(EVP_PKEY_CTX_new_from_name(nullptr, "EC", nullptr));
  OSSL_PARAM fields[] = {
      OSSL_PARAM_construct_utf8_string(OSSL_PKEY_PARAM_GROUP_NAME, group.data(), 0),
      OSSL_PARAM_construct_octet_string(OSSL_PKEY_PARAM_PUB_KEY, point.data(), point.size()),
      OSSL_PARAM_construct_end()};
  EVP_PKEY* raw = nullptr;
  crypto::clear_openssl_errors();
  if (!ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &raw, EVP_PKEY_PUBLIC_KEY, fields) != 1) {
    throw Error(ErrorKind::kKey, what + " holds an invalid EC public key (curve " + group + "): " +
                                     crypto::take_openssl_error());
  }
  return crypto::PkeyPtr(raw);
}

}  // namespace model_signing::pkcs11
