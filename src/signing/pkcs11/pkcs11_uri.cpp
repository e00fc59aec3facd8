#include "signing/pkcs11/pkcs11_uri.h"

#include <algorithm>
#include <array>
#include <set>

#include "model_signing/error.h"
#include "signing/pkcs11/p11_kit_library.h"
#include "util/encoding.h"
#include "util/file_io.h"

namespace model_signing::pkcs11 {

namespace {

constexpr std::array kPathAttributes = {
    "token",        "manufacturer",     "serial",  "model", "library-manufacturer",
    "library-description", "library-version", "object", "type", "id",
    "slot-description", "slot-manufacturer", "slot-id"};
constexpr std::array kQueryAttributes = {"pin-source", "pin-value", "module-name", "module-path"};

[[noreturn]] void malformed(const std::string& reason) {
  throw Error(ErrorKind::kInvalidArgument, "malformed PKCS#11 URI: " + reason);
}

template <std::size_t N>
bool known(const std::array<const char*, N>& names, std::string_view name) {
  return std::find(names.begin(), names.end(), name) != names.end();
}

// p11-kit keeps the last of repeated attributes and ignores unknown query
// attributes; RFC 7512 forbids the former, and both usually mean a typo that
// would otherwise select another key or drop the PIN.
void check_attribute_names(std::string_view text) {
  text.remove_prefix(std::string_view("pkcs11:").size());
  std::size_t question = text.find('?');
  std::string_view path = text.substr(0, question);
  std::string_view query = question == std::string_view::npos ? "" : text.substr(question + 1);
  std::set<std::string> seen;
  auto scan = [&](std::string_view part, char separator, bool is_path) {
    while (!part.empty()) {
      std::size_t end = part.find(separator);
      std::string_view item = part.substr(0, end);
      std::string name(item.substr(0, item.find('=')));
      if (is_path ? !known(kPathAttributes, name)
                  : !known(kQueryAttributes, name) && name.rfind("x-", 0) != 0) {
        malformed("unknown attribute '" + util::excerpt(name) + "'");
      }
      if (!seen.insert(name).second) malformed("attribute '" + util::excerpt(name) + "' given twice");
      if (end == std::string_view::npos) break;
      part.remove_prefix(end + 1);
    }
  };
  scan(path, ';', true);
  scan(query, '&', false);
}

std::optional<std::string> string_or_null(const char* value) {
  if (!value) return std::nullopt;
  return std::string(value);
}

std::optional<std::vector<std::uint8_t>> attribute_bytes(P11KitUri* uri, CK_ATTRIBUTE_TYPE type) {
  CK_ATTRIBUTE* attr = p11_kit().uri_get_attribute(uri, type);
  if (!attr) return std::nullopt;
  const auto* bytes = static_cast<const std::uint8_t*>(attr->pValue);
  return std::vector<std::uint8_t>(bytes, bytes + attr->ulValueLen);
}

bool any_set(const unsigned char* field, std::size_t size) {
  // p11-kit leaves attributes the URI does not mention zero-filled.
  return std::any_of(field, field + size, [](unsigned char c) { return c != 0; });
}

std::string strip_one_newline(std::string text) {
  if (!text.empty() && text.back() == '\n') text.pop_back();
  if (!text.empty() && text.back() == '\r') text.pop_back();
  return text;
}

// pin-source is a file path or a file: URI (file:/p, file:///p, file://localhost/p).
std::string pin_file_path(const std::string& source) {
  std::string_view s = source;
  if (s.rfind("file:", 0) == 0) {
    s.remove_prefix(5);
    if (s.rfind("//", 0) == 0) {
      s.remove_prefix(2);
      std::size_t slash = s.find('/');
      std::string_view host = s.substr(0, slash);
      if (slash == std::string_view::npos || (!host.empty() && host != "localhost")) {
        throw Error(ErrorKind::kInvalidArgument,
                    "unsupported PKCS#11 pin-source '" + util::excerpt(source) + "': only local files can hold the PIN");
      }
      s.remove_prefix(slash);
    }
    return std::string(s);
  }
  std::size_t colon = s.find(':');
  std::size_t slash = s.find('/');
  if (colon != std::string_view::npos && colon > 0 && (slash == std::string_view::npos || colon < slash)) {
    throw Error(ErrorKind::kInvalidArgument, "unsupported PKCS#11 pin-source '" + source +
                                                 "': use a file path or a file: URI");
  }
  return source;
}

}  // namespace

Pkcs11Uri Pkcs11Uri::parse(std::string_view text) {
  std::shared_ptr<P11KitUri> parsed(p11_kit().uri_new(), p11_kit().uri_free);
  std::string copy(text);
  int rc = p11_kit().uri_parse(copy.c_str(), P11_KIT_URI_FOR_ANY, parsed.get());
  if (rc != P11_KIT_URI_OK) malformed(p11_kit().uri_message(rc));
  check_attribute_names(text);
  if (p11_kit().uri_any_unrecognized(parsed.get())) malformed("unrecognized attribute");

  Pkcs11Uri uri;
  uri.parsed_ = parsed;
  uri.module_path = string_or_null(p11_kit().uri_get_module_path(parsed.get()));
  uri.module_name = string_or_null(p11_kit().uri_get_module_name(parsed.get()));
  uri.pin_value = string_or_null(p11_kit().uri_get_pin_value(parsed.get()));
  uri.pin_source = string_or_null(p11_kit().uri_get_pin_source(parsed.get()));
  CK_SLOT_ID slot = p11_kit().uri_get_slot_id(parsed.get());
  if (slot != static_cast<CK_SLOT_ID>(-1)) uri.slot_id = slot;
  if (auto label = attribute_bytes(parsed.get(), CKA_LABEL)) {
    uri.object = std::string(label->begin(), label->end());
  }
  uri.id = attribute_bytes(parsed.get(), CKA_ID);
  const CK_TOKEN_INFO* token = p11_kit().uri_get_token_info(parsed.get());
  if (any_set(token->label, sizeof(token->label))) {
    std::size_t len = p11_kit().space_strlen(token->label, sizeof(token->label));
    uri.token = std::string(reinterpret_cast<const char*>(token->label), len);
  }

  if (uri.pin_value && uri.pin_source) malformed("it has both pin-value and pin-source");
  if (!uri.object && !uri.id) malformed("it names no key: add object=LABEL or id=%XX");
  return uri;
}

bool Pkcs11Uri::names_token() const {
  if (slot_id) return true;
  P11KitUri* uri = parsed_.get();
  const CK_TOKEN_INFO* t = p11_kit().uri_get_token_info(uri);
  const CK_SLOT_INFO* s = p11_kit().uri_get_slot_info(uri);
  return any_set(t->label, sizeof(t->label)) || any_set(t->manufacturerID, sizeof(t->manufacturerID)) ||
         any_set(t->model, sizeof(t->model)) || any_set(t->serialNumber, sizeof(t->serialNumber)) ||
         any_set(s->slotDescription, sizeof(s->slotDescription)) ||
         any_set(s->manufacturerID, sizeof(s->manufacturerID));
}

bool Pkcs11Uri::matches(const CK_INFO& module) const {
  return p11_kit().uri_match_module_info(parsed_.get(), &module) == 1;
}

bool Pkcs11Uri::matches(const CK_SLOT_INFO& slot, const CK_TOKEN_INFO& token) const {
  return p11_kit().uri_match_slot_info(parsed_.get(), &slot) == 1 &&
         p11_kit().uri_match_token_info(parsed_.get(), &token) == 1;
}

std::string Pkcs11Uri::describe_object() const {
  std::string text;
  if (object) text = "label '" + *object + "'";
  if (id) text += (text.empty() ? "id " : " and id ") + util::to_hex(*id);
  return text;
}

std::optional<std::string> read_pin(const Pkcs11Uri& uri) {
  if (uri.pin_value) return uri.pin_value;
  if (!uri.pin_source) return std::nullopt;
  return strip_one_newline(util::read_file(pin_file_path(*uri.pin_source), 4096));
}

}  // namespace model_signing::pkcs11
