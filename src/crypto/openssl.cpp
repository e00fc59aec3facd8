#include "crypto/openssl.h"

#include <openssl/err.h>

namespace model_signing::crypto {

std::string take_openssl_error(const std::string& fallback) {
  unsigned long last = 0;
  while (unsigned long code = ERR_get_error()) last = code;
  if (last == 0) return fallback;
  const char* reason = ERR_reason_error_string(last);
  return reason ? std::string(reason) : fallback;
}

void clear_openssl_errors() { ERR_clear_error(); }

}  // namespace model_signing::crypto
