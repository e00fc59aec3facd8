// The local Sigstore stack (tests/sigstore_stack/server.js) as a test
// fixture: Fulcio, Rekor v1/v2, a TSA and an OIDC provider on 127.0.0.1,
// started for one test and stopped with it.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "support/child_process.h"
#include "support/test_support.h"

namespace model_signing::testing {

struct StackOptions {
  std::string rekor = "v1";  // v1, v2 or both
  std::string selector = "ANY";
  bool tsa = true;
};

class SigstoreStack {
 public:
  explicit SigstoreStack(StackOptions options = {});

  std::filesystem::path trust_config() const { return dir_.path() / "trust_config.json"; }
  std::filesystem::path trusted_root() const { return dir_.path() / "trusted_root.json"; }
  std::filesystem::path signing_config() const { return dir_.path() / "signing_config.json"; }
  // "oidc", "fulcio", "rekor1", "rekor2", "tsa".
  std::string url(const std::string& service) const;
  std::string issuer() const { return info_["issuer"].get<std::string>(); }
  const nlohmann::json& info() const { return info_; }

  // Replaces the failure knobs, e.g. {"fulcio": {"status": 500}}.
  void set_faults(const nlohmann::json& faults) const;
  // Every request the services saw: [{service, method, path, proxied, ...}].
  nlohmann::json requests() const;
  // A token signed by the stack's issuer; `query` as for /__token (sub,
  // email, aud, exp_offset).
  std::string token(const std::map<std::string, std::string>& query = {}) const;

  // sigstore-js's verdict on a bundle made with this stack.
  // `artifact` is needed for message-signature bundles.
  CommandResult verify_with_sigstore_js(const std::filesystem::path& bundle,
                                        const std::string& identity,
                                        const std::filesystem::path& artifact = {}) const;

 private:
  TempDir dir_;
  std::unique_ptr<ChildProcess> server_;
  nlohmann::json info_;
};

std::filesystem::path sigstore_stack_dir();

}  // namespace model_signing::testing
