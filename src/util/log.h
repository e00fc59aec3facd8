// The library's side of model_signing/log.h: where messages are emitted.
#pragma once

#include <string>

#include "model_signing/log.h"

namespace model_signing::util {

// Hands `message` to the installed sink if `level` is enabled. Build the
// message only under log_enabled() when it is costly.
void log(LogLevel level, const std::string& message);

}  // namespace model_signing::util
