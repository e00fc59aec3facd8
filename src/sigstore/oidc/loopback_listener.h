// The redirect target of the browser sign-in (RFC 8252 §7.3): a one-shot
// HTTP listener on the loopback interface that waits for
// GET /auth/callback?code=...&state=..., answers the browser with a short
// page, and hands the query parameters back.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

#include "util/encoding.h"

namespace model_signing::sigstore {

class LoopbackListener {
 public:
  // Binds 127.0.0.1 on a free port (and ::1 on the same port when IPv6 is
  // available, since "localhost" may resolve to either). Throws
  // Error(kNetwork).
  LoopbackListener();
  ~LoopbackListener();
  LoopbackListener(const LoopbackListener&) = delete;
  LoopbackListener& operator=(const LoopbackListener&) = delete;

  int port() const { return port_; }
  // http://localhost:PORT/auth/callback (the form public OAuth clients such
  // as Sigstore's are allowed to use).
  std::string redirect_uri() const;

  // Serves requests until the callback arrives or `timeout` passes (then
  // throws Error(kNetwork)). Other paths get a 404 and are ignored.
  std::map<std::string, std::string> wait_for_callback(std::chrono::seconds timeout);

 private:
  std::vector<int> sockets_;
  int port_ = 0;
};

// application/x-www-form-urlencoded helpers.
using util::url_encode;
std::map<std::string, std::string> parse_query(const std::string& query);

}  // namespace model_signing::sigstore
