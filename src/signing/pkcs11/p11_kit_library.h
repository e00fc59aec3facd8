// The p11-kit functions the PKCS#11 method uses, loaded on first use
// (util/shared_library.h), so that commands that do not use a token never
// load p11-kit.
#pragma once

#include <p11-kit/p11-kit.h>
#include <p11-kit/uri.h>

namespace model_signing::pkcs11 {

struct P11KitLibrary {
  decltype(&::p11_kit_be_quiet) be_quiet;
  decltype(&::p11_kit_message) message;
  decltype(&::p11_kit_strerror) strerror;
  decltype(&::p11_kit_space_strlen) space_strlen;
  decltype(&::p11_kit_module_load) module_load;
  decltype(&::p11_kit_module_initialize) module_initialize;
  decltype(&::p11_kit_module_finalize) module_finalize;
  decltype(&::p11_kit_module_release) module_release;
  decltype(&::p11_kit_uri_new) uri_new;
  decltype(&::p11_kit_uri_free) uri_free;
  decltype(&::p11_kit_uri_parse) uri_parse;
  decltype(&::p11_kit_uri_message) uri_message;
  decltype(&::p11_kit_uri_any_unrecognized) uri_any_unrecognized;
  decltype(&::p11_kit_uri_get_module_path) uri_get_module_path;
  decltype(&::p11_kit_uri_get_module_name) uri_get_module_name;
  decltype(&::p11_kit_uri_get_pin_value) uri_get_pin_value;
  decltype(&::p11_kit_uri_get_pin_source) uri_get_pin_source;
  decltype(&::p11_kit_uri_get_slot_id) uri_get_slot_id;
  decltype(&::p11_kit_uri_get_attribute) uri_get_attribute;
  decltype(&::p11_kit_uri_get_token_info) uri_get_token_info;
  decltype(&::p11_kit_uri_get_slot_info) uri_get_slot_info;
  decltype(&::p11_kit_uri_match_module_info) uri_match_module_info;
  decltype(&::p11_kit_uri_match_slot_info) uri_match_slot_info;
  decltype(&::p11_kit_uri_match_token_info) uri_match_token_info;
};

// p11-kit, loaded on the first call. Throws Error(kUnsupported) "PKCS#11
// signing needs p11-kit (libp11-kit.so.0), which is not installed: apt
// install libp11-kit0" when it cannot be loaded; a later call tries again.
const P11KitLibrary& p11_kit();

}  // namespace model_signing::pkcs11
