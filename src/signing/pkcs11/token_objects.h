// Finding things on a PKCS#11 module: the token a URI names, the key objects
// on it, and the EC public key those objects hold.
#pragma once

#include <p11-kit/pkcs11.h>

#include <string>

#include "crypto/openssl.h"
#include "signing/pkcs11/pkcs11_module.h"
#include "signing/pkcs11/pkcs11_uri.h"

namespace model_signing::pkcs11 {

struct SelectedToken {
  CK_SLOT_ID slot = 0;
  std::string label;
  bool login_required = false;
  // The PIN is entered on the reader's own keypad, not given by us.
  bool pin_pad = false;
};

// The first slot, in the module's order, whose token matches the URI: the
// slot-id if given, then the token label and the other token and slot
// attributes. Throws Error(kInvalidArgument) if the URI names no token at all,
// Error(kToken) if none matches (the message lists the tokens present).
SelectedToken select_token(const Module& module, const Pkcs11Uri& uri);

// The one object of class `object_class` with the URI's label and/or id;
// CK_INVALID_HANDLE if there is none. Throws Error(kKey) if several match.
CK_OBJECT_HANDLE find_key_object(const Session& session, CK_OBJECT_CLASS object_class,
                                 const Pkcs11Uri& uri);

// The X.509 certificate object with the URI's label and/or id; null if there
// is none. Throws Error(kKey) if several match or it holds no certificate.
crypto::X509Ptr find_certificate(const Session& session, const Pkcs11Uri& uri,
                                 const std::string& token_label);

CK_KEY_TYPE key_type(const Session& session, CK_OBJECT_HANDLE key);
// "RSA", "EC", "EdDSA", ... for messages.
std::string key_type_name(CK_KEY_TYPE type);

// The public key of an EC key object, from CKA_EC_PARAMS (a named curve) and
// CKA_EC_POINT. `what` names the key in errors. Throws Error(kKey) or
// Error(kUnsupported) for curves OpenSSL does not know.
crypto::PkeyPtr read_ec_public_key(const Session& session, CK_OBJECT_HANDLE key,
                                   const std::string& what);

}  // namespace model_signing::pkcs11
