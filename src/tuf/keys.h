// TUF public keys (spec "Key objects") and their signatures. Supported:
//   keytype "ed25519", scheme "ed25519": keyval.public is 64 hex digits;
//   keytype "ecdsa" (or the legacy "ecdsa-sha2-nistp256"/"-nistp384"),
//     scheme "ecdsa-sha2-nistp256"/"ecdsa-sha2-nistp384": PEM public key,
//     hex DER signatures (what Sigstore's root uses);
//   keytype "rsa", scheme "rsassa-pss-sha256": PEM key of >= 2048 bits.
// Any other key parses as an unusable key: it never counts toward a
// threshold, and metadata naming it still loads.
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "crypto/openssl.h"

namespace model_signing::tuf {

struct TufKey {
  std::string keytype;
  std::string scheme;
  crypto::PkeyPtr pkey;  // null when the key is unusable
  const EVP_MD* md = nullptr;
  bool pss = false;
  // The key's DER SubjectPublicKeyInfo: two keyids holding the same key are
  // one key when signatures are counted.
  std::string identity;
  std::string unusable_reason;  // set when pkey is null

  bool usable() const { return pkey != nullptr; }
};

// Parses a KEY object. Throws std::invalid_argument naming the field when
// the object lacks the string fields "keytype" and "scheme" or the object
// "keyval"; an unsupported or undecodable key is returned unusable.
TufKey parse_key(const nlohmann::json& key);

// Whether `sig_hex` is the key's valid signature over `message`. Never throws.
bool verify_signature(const TufKey& key, std::string_view message, std::string_view sig_hex);

}  // namespace model_signing::tuf
