// RAII over the PKCS#11 calls that open something: the loaded module, a
// session on a token, and a login. Each closes what it opened on destruction,
// so every path out of the signer, error or not, leaves nothing open.
#pragma once

#include <p11-kit/pkcs11.h>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

#include "model_signing/error.h"

namespace model_signing::pkcs11 {

// Throws Error(kind, "<what>: <p11-kit's text for rv>") unless rv is CKR_OK.
void check_rv(CK_RV rv, const std::string& what, ErrorKind kind = ErrorKind::kToken);
std::string describe_rv(CK_RV rv);

// A module loaded and initialized through p11-kit. It is "managed": other
// users of the same module in this process keep their own initialization and
// sessions, and finalizing this instance closes only what it opened.
class Module {
 public:
  explicit Module(const std::filesystem::path& path);
  ~Module();
  Module(const Module&) = delete;
  Module& operator=(const Module&) = delete;

  CK_FUNCTION_LIST* functions() const { return functions_; }
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
  CK_FUNCTION_LIST* functions_ = nullptr;
};

class Session {
 public:
  Session(const Module& module, CK_SLOT_ID slot);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  CK_FUNCTION_LIST* functions() const { return functions_; }
  CK_SESSION_HANDLE handle() const { return handle_; }

 private:
  CK_FUNCTION_LIST* functions_;
  CK_SESSION_HANDLE handle_ = CK_INVALID_HANDLE;
};

// Logs the user in to the session's token. Login state belongs to the whole
// process, not to a session, so logins are counted per module and slot: the
// last Login on a token logs out, and a token that was already logged in by
// someone else in this process is left logged in.
class Login {
 public:
  // `token_label` names the token in errors (a wrong PIN, a locked PIN).
  // Without a PIN the login is left to the reader's PIN pad (a protected
  // authentication path).
  Login(const Module& module, CK_SLOT_ID slot, const Session& session,
        std::optional<std::string_view> pin, const std::string& token_label);
  ~Login();
  Login(const Login&) = delete;
  Login& operator=(const Login&) = delete;

 private:
  std::string key_;  // module and slot
  const Session& session_;
};

}  // namespace model_signing::pkcs11
