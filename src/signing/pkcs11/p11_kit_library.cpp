#include "signing/pkcs11/p11_kit_library.h"

#include <memory>
#include <mutex>

#include "util/shared_library.h"

namespace model_signing::pkcs11 {

namespace {

constexpr util::LibraryInfo kP11Kit{"p11-kit", "libp11-kit.so.0", "libp11-kit0"};

std::unique_ptr<P11KitLibrary> load() {
  util::SharedLibrary lib(kP11Kit, "PKCS#11 signing");
  auto p = std::make_unique<P11KitLibrary>();
#define MS_P11_KIT_FUNCTION(member, symbol) p->member = lib.function<decltype(p->member)>(symbol)
  MS_P11_KIT_FUNCTION(be_quiet, "p11_kit_be_quiet");
  MS_P11_KIT_FUNCTION(message, "p11_kit_message");
  MS_P11_KIT_FUNCTION(strerror, "p11_kit_strerror");
  MS_P11_KIT_FUNCTION(space_strlen, "p11_kit_space_strlen");
  MS_P11_KIT_FUNCTION(module_load, "p11_kit_module_load");
  MS_P11_KIT_FUNCTION(module_initialize, "p11_kit_module_initialize");
  MS_P11_KIT_FUNCTION(module_finalize, "p11_kit_module_finalize");
  MS_P11_KIT_FUNCTION(module_release, "p11_kit_module_release");
  MS_P11_KIT_FUNCTION(uri_new, "p11_kit_uri_new");
  MS_P11_KIT_FUNCTION(uri_free, "p11_kit_uri_free");
  MS_P11_KIT_FUNCTION(uri_parse, "p11_kit_uri_parse");
  MS_P11_KIT_FUNCTION(uri_message, "p11_kit_uri_message");
  MS_P11_KIT_FUNCTION(uri_any_unrecognized, "p11_kit_uri_any_unrecognized");
  MS_P11_KIT_FUNCTION(uri_get_module_path, "p11_kit_uri_get_module_path");
  MS_P11_KIT_FUNCTION(uri_get_module_name, "p11_kit_uri_get_module_name");
  MS_P11_KIT_FUNCTION(uri_get_pin_value, "p11_kit_uri_get_pin_value");
  MS_P11_KIT_FUNCTION(uri_get_pin_source, "p11_kit_uri_get_pin_source");
  MS_P11_KIT_FUNCTION(uri_get_slot_id, "p11_kit_uri_get_slot_id");
  MS_P11_KIT_FUNCTION(uri_get_attribute, "p11_kit_uri_get_attribute");
  MS_P11_KIT_FUNCTION(uri_get_token_info, "p11_kit_uri_get_token_info");
  MS_P11_KIT_FUNCTION(uri_get_slot_info, "p11_kit_uri_get_slot_info");
  MS_P11_KIT_FUNCTION(uri_match_module_info, "p11_kit_uri_match_module_info");
  MS_P11_KIT_FUNCTION(uri_match_slot_info, "p11_kit_uri_match_slot_info");
  MS_P11_KIT_FUNCTION(uri_match_token_info, "p11_kit_uri_match_token_info");
#undef MS_P11_KIT_FUNCTION
  return p;
}

}  // namespace

const P11KitLibrary& p11_kit() {
  static std::mutex mutex;
  static std::unique_ptr<P11KitLibrary> loaded;
  std::lock_guard lock(mutex);
  if (!loaded) loaded = load();
  return *loaded;
}

}  // namespace model_signing::pkcs11
