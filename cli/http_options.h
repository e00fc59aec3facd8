// How the CLI talks HTTP (Sigstore services, TUF repositories, timestamp
// authorities), with knobs for CI in the environment.
#pragma once

#include "model_signing/http.h"

namespace model_signing::cli {

// MODEL_SIGNING_HTTP_TIMEOUT (seconds per request, default 60) and
// MODEL_SIGNING_HTTP_ATTEMPTS (tries on 5xx and connection failures,
// default 3). Throws Error(kInvalidArgument) for values out of range.
HttpOptions http_options();

}  // namespace model_signing::cli
