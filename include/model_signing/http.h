// How the library talks HTTP to remote services (the Sigstore services for
// keyless signing, and anything else that fetches over the network).
#pragma once

#include <chrono>

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing {

struct HttpOptions {
  std::chrono::milliseconds timeout{60000};          // whole request
  std::chrono::milliseconds connect_timeout{10000};
  int max_attempts = 3;  // on 5xx answers and connection failures
  std::chrono::milliseconds initial_backoff{500};    // doubles per retry
};

}  // namespace model_signing
#pragma GCC visibility pop
