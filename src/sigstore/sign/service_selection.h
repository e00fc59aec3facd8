// Which services to sign with, chosen from a signing config v0.2 the way
// Sigstore clients choose: only services valid now and speaking an API
// version this client supports; per operator the highest such version;
// then the config's selector (ALL, ANY = one, EXACT = count) decides how
// many.
#pragma once

#include <initializer_list>
#include <optional>
#include <vector>

#include "model_signing/sigstore_trust.h"

namespace model_signing::sigstore {

struct SelectedServices {
  Service ca;                  // Fulcio
  std::optional<Service> oidc; // the interactive flow's issuer
  std::vector<Service> tlogs;  // Rekor v1 and/or v2 (majorApiVersion 1 or 2)
  std::vector<Service> tsas;   // RFC 3161 timestamp authorities
};

// `config` nullopt (or selector undefined) means ALL. Throws
// Error(kInvalidArgument) naming `what` when the selector asks for more
// services than there are.
std::vector<Service> select_services(const std::vector<Service>& services,
                                     std::initializer_list<std::uint32_t> supported_versions,
                                     const std::optional<ServiceConfiguration>& config, Time now,
                                     const char* what);

// Throws Error(kInvalidArgument) when there is no usable CA or log, or when
// a Rekor v2 log is chosen without a timestamp authority (v2 logs do not
// timestamp entries).
SelectedServices select_signing_services(const SigstoreSigningConfig& config, Time now);

}  // namespace model_signing::sigstore
