// The trust material of Sigstore's public-good instances, compiled in from
// src/sigstore/trust/ by embed_trust.cmake (see CMakeLists.txt).
#pragma once

#include <string_view>

namespace model_signing::sigstore::embedded {

extern const std::string_view kProductionTrustedRoot;
extern const std::string_view kProductionSigningConfig;
extern const std::string_view kStagingTrustedRoot;
extern const std::string_view kStagingSigningConfig;
// The TUF root metadata of each instance's repository (root.json).
extern const std::string_view kProductionTufRoot;
extern const std::string_view kStagingTufRoot;

}  // namespace model_signing::sigstore::embedded
