// An RFC 7512 PKCS#11 URI naming a private key: the module to load, the
// token, the key object and the PIN. Parsed with p11-kit, and stricter than
// p11-kit where a lenient reading could pick the wrong key.
#pragma once

#include <p11-kit/pkcs11.h>
#include <p11-kit/uri.h>

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace model_signing::pkcs11 {

struct Pkcs11Uri {
  std::optional<std::string> module_path;  // query `module-path`
  std::optional<std::string> module_name;  // query `module-name`
  std::optional<CK_SLOT_ID> slot_id;       // path `slot-id`
  std::optional<std::string> token;        // path `token` (the token label)
  std::optional<std::string> object;       // path `object` (CKA_LABEL)
  std::optional<std::vector<std::uint8_t>> id;  // path `id` (CKA_ID)
  std::optional<std::string> pin_value;    // query `pin-value`
  std::optional<std::string> pin_source;   // query `pin-source` (a file)

  // Throws Error(kInvalidArgument) naming the problem: not a pkcs11: URI, bad
  // encoding, an attribute given twice, an unknown attribute (vendor `x-`
  // query attributes excepted), both pin-value and pin-source, no `object`
  // or `id`. `type` is accepted and ignored: the key pair is looked up.
  static Pkcs11Uri parse(std::string_view text);

  // True if the URI narrows the token down at all: slot-id, or any token or
  // slot attribute (token, serial, model, manufacturer, slot-description...).
  bool names_token() const;
  // RFC 7512 matching of the library-*, slot-* and token attributes.
  bool matches(const CK_INFO& module) const;
  bool matches(const CK_SLOT_INFO& slot, const CK_TOKEN_INFO& token) const;

  // "label 'my-key' and id 01", for messages.
  std::string describe_object() const;

 private:
  std::shared_ptr<P11KitUri> parsed_;  // for matches()
};

// The PIN: pin-value, or the contents of the pin-source file (a path or a
// file: URI) without a trailing newline; nullopt when the URI has neither.
// Throws Error(kIo) if the file cannot be read.
std::optional<std::string> read_pin(const Pkcs11Uri& uri);

}  // namespace model_signing::pkcs11
