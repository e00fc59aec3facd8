#include "signing/pkcs11/pkcs11_module.h"

#include <openssl/crypto.h>

#include <cstdio>
#include <map>
#include <mutex>

#include "signing/pkcs11/p11_kit_library.h"

namespace model_signing::pkcs11 {

std::string describe_rv(CK_RV rv) {
  char code[32];
  std::snprintf(code, sizeof(code), "0x%lX", static_cast<unsigned long>(rv));
  return std::string(p11_kit().strerror(rv)) + " (CKR " + code + ")";
}

void check_rv(CK_RV rv, const std::string& what, ErrorKind kind) {
  if (rv != CKR_OK) throw Error(kind, what + ": " + describe_rv(rv));
}

Module::Module(const std::filesystem::path& path) : path_(path) {
  // p11-kit would print its own messages on stderr; ours carry the reason.
  p11_kit().be_quiet();
  functions_ = p11_kit().module_load(path.c_str(), 0);
  if (!functions_) {
    const char* reason = p11_kit().message();
    // p11-kit's message names the path already.
    throw Error(ErrorKind::kToken, reason ? std::string("cannot load PKCS#11 module: ") + reason
                                          : "cannot load PKCS#11 module " + path.string());
  }
  CK_RV rv = p11_kit().module_initialize(functions_);
  if (rv != CKR_OK) {
    p11_kit().module_release(functions_);
    check_rv(rv, "cannot initialize PKCS#11 module " + path.string());
  }
}

Module::~Module() {
  p11_kit().module_finalize(functions_);
  p11_kit().module_release(functions_);
}

Session::Session(const Module& module, CK_SLOT_ID slot) : functions_(module.functions()) {
  check_rv(functions_->C_OpenSession(slot, CKF_SERIAL_SESSION, nullptr, nullptr, &handle_),
           "cannot open a session on PKCS#11 slot " + std::to_string(slot));
}

Session::~Session() { functions_->C_CloseSession(handle_); }

namespace {

struct TokenLogin {
  int users = 0;
  bool ours = false;  // we called C_Login, so the last user logs out
};

std::mutex login_mutex;
std::map<std::string, TokenLogin> logins;

}  // namespace

Login::Login(const Module& module, CK_SLOT_ID slot, const Session& session,
             std::optional<std::string_view> pin, const std::string& token_label)
    : session_(session) {
  std::error_code ec;
  key_ = std::filesystem::weakly_canonical(module.path(), ec).string() + "#" + std::to_string(slot);
  std::lock_guard lock(login_mutex);
  TokenLogin& state = logins[key_];
  if (state.users == 0) {
    std::string pin_copy(pin.value_or(""));
    CK_RV rv = session.functions()->C_Login(
        session.handle(), CKU_USER,
        pin ? reinterpret_cast<CK_UTF8CHAR*>(pin_copy.data()) : nullptr, pin_copy.size());
    OPENSSL_cleanse(pin_copy.data(), pin_copy.size());
    if (rv != CKR_OK && rv != CKR_USER_ALREADY_LOGGED_IN) {
      logins.erase(key_);
      if (rv == CKR_PIN_INCORRECT) {
        throw Error(ErrorKind::kToken, "wrong PIN for PKCS#11 token '" + token_label + "'");
      }
      check_rv(rv, "cannot log in to PKCS#11 token '" + token_label + "'");
    }
    state.ours = rv == CKR_OK;
  }
  ++state.users;
}

Login::~Login() {
  std::lock_guard lock(login_mutex);
  auto it = logins.find(key_);
  if (it == logins.end() || --it->second.users > 0) return;
  if (it->second.ours) session_.functions()->C_Logout(session_.handle());
  logins.erase(it);
}

}  // namespace model_signing::pkcs11
