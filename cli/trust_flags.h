// Where `verify sigstore` and `sign sigstore` get their Sigstore trust:
// --use-staging, --trust-config, --tuf-url/--tuf-root, --offline and
// --require-fresh-trust. By default, the instance's TUF repository through
// the cache (sigstore::TrustUpdate::kTuf).
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "model_signing/sigstore_trust.h"

namespace model_signing::cli {

struct TrustFlags {
  bool use_staging = false;
  std::string trust_config;
  std::string tuf_url;
  std::string tuf_root;
  bool offline = false;
  bool require_fresh_trust = false;
};

// `trust_config_help` describes what --trust-config takes for this command.
void add_trust_flags(CLI::App* cmd, TrustFlags& flags, const std::string& trust_config_help);

// Selects the trust the flags ask for; prints its warnings ("Warning: ..."
// on stderr) and, at INFO level, where it came from and the cache's age.
// Throws Error.
sigstore::ClientTrustConfig select_trust(const TrustFlags& flags, bool for_signing);

}  // namespace model_signing::cli
