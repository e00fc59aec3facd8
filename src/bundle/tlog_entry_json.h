// A single TransparencyLogEntry in protobuf JSON, as the bundle parser reads
// it; Rekor v2 answers entry uploads with exactly this.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

#include "model_signing/bundle.h"

namespace model_signing {

// Throws Error(kMalformedBundle) naming the field under `context`.
TransparencyLogEntry parse_transparency_log_entry(const nlohmann::json& value,
                                                  const std::string& context);

}  // namespace model_signing
