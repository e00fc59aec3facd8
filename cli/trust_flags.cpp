#include "trust_flags.h"

#include "cli_options.h"
#include "http_options.h"
#include "log_output.h"

namespace model_signing::cli {

void add_trust_flags(CLI::App* cmd, TrustFlags& flags, const std::string& trust_config_help) {
  auto* staging = cmd->add_flag("--use-staging", flags.use_staging, "Use Sigstore's staging instance.");
  auto* config = cmd->add_option("--trust-config", flags.trust_config,
                                 trust_config_help + " Never touches the network.")
                     ->type_name("PATH");
  auto* url = cmd->add_option("--tuf-url", flags.tuf_url,
                              "TUF repository of a private Sigstore instance (default: "
                              "https://tuf-repo-cdn.sigstore.dev, or tuf-repo-cdn.sigstage.dev "
                              "with --use-staging).")
                  ->type_name("URL");
  auto* root = cmd->add_option("--tuf-root", flags.tuf_root,
                               "The initial root.json of --tuf-url's repository (needed until its "
                               "trust is cached).")
                   ->type_name("ROOT.json");
  auto* offline = cmd->add_flag(
      "--offline", flags.offline,
      "Use only the cached trust (or, when nothing is cached, the trust built into model_signing); "
      "never touch the network for it.");
  auto* fresh = cmd->add_flag("--require-fresh-trust", flags.require_fresh_trust,
                              "Fail when the TUF repository cannot be reached, instead of using the "
                              "cached trust.");
  root->needs(url);
  url->excludes(staging);
  config->excludes(url)->excludes(root)->excludes(fresh);
  offline->excludes(fresh);
  cmd->footer(
      "Sigstore trust: unless --trust-config is given, trusted_root.json and "
      "signing_config.v0.2.json come from the instance's TUF repository, verified from the TUF "
      "root built into model_signing (or --tuf-root), and are cached under "
      "$XDG_CACHE_HOME/model_signing/tuf (default ~/.cache/model_signing/tuf). When the repository "
      "cannot be reached, the cache is used with a warning (the built-in trust when nothing is "
      "cached), unless --require-fresh-trust.");
}

sigstore::ClientTrustConfig select_trust(const TrustFlags& flags, bool for_signing) {
  sigstore::TrustOptions options;
  options.use_staging = flags.use_staging;
  options.trust_config = flags.trust_config;
  options.need_signing_config = for_signing;
  options.tuf.update = flags.offline ? sigstore::TrustUpdate::kTufOffline : sigstore::TrustUpdate::kTuf;
  options.tuf.repository_url = flags.tuf_url;
  options.tuf.initial_root = flags.tuf_root;
  options.tuf.require_fresh = flags.require_fresh_trust;
  options.tuf.http = http_options();
  sigstore::SelectedTrust selected = sigstore::select_trust_config(options);
  for (const auto& line : selected.info) info(line);
  for (const auto& line : selected.warnings) warn(line);
  return std::move(selected.config);
}

}  // namespace model_signing::cli
