// A PKCS#11 module standing in for a reader with a PIN pad: it forwards to
// the module named by PIN_PAD_MODULE_TARGET (SoftHSM2 in the tests), reports
// every token as having a protected authentication path, and logs in with
// the PIN in PIN_PAD_MODULE_PIN when the caller passes none, as if typed on
// the pad. A caller that passes a PIN is refused: a pad reader never sees
// one. Each pad login appends a line to PIN_PAD_MODULE_LOG.
#include <dlfcn.h>
#include <p11-kit/pkcs11.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>

namespace {

CK_FUNCTION_LIST shim;
CK_FUNCTION_LIST* target = nullptr;

CK_RV get_token_info(CK_SLOT_ID slot, CK_TOKEN_INFO* info) {
  CK_RV rv = target->C_GetTokenInfo(slot, info);
  if (rv == CKR_OK) info->flags |= CKF_PROTECTED_AUTHENTICATION_PATH;
  return rv;
}

CK_RV login(CK_SESSION_HANDLE session, CK_USER_TYPE user, CK_UTF8CHAR* pin, CK_ULONG length) {
  if (pin != nullptr || length != 0) return CKR_ARGUMENTS_BAD;
  const char* typed = std::getenv("PIN_PAD_MODULE_PIN");
  if (!typed) return CKR_PIN_INCORRECT;
  if (const char* log = std::getenv("PIN_PAD_MODULE_LOG")) {
    if (FILE* f = std::fopen(log, "a")) {
      std::fputs("pad login\n", f);
      std::fclose(f);
    }
  }
  std::size_t n = std::strlen(typed);
  return target->C_Login(session, user,
                         reinterpret_cast<CK_UTF8CHAR*>(const_cast<char*>(typed)), n);
}

}  // namespace

extern "C" __attribute__((visibility("default"))) CK_RV C_GetFunctionList(
    CK_FUNCTION_LIST** list) {
  if (!list) return CKR_ARGUMENTS_BAD;
  if (!target) {
    const char* path = std::getenv("PIN_PAD_MODULE_TARGET");
    void* handle = path ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : nullptr;
    if (!handle) return CKR_GENERAL_ERROR;
    auto get = reinterpret_cast<CK_RV (*)(CK_FUNCTION_LIST**)>(dlsym(handle, "C_GetFunctionList"));
    if (!get || get(&target) != CKR_OK) return CKR_GENERAL_ERROR;
    shim = *target;
    shim.C_GetTokenInfo = get_token_info;
    shim.C_Login = login;
  }
  *list = &shim;
  return CKR_OK;
}
