// A SoftHSM2 installation private to the test: its own token directory and
// SOFTHSM2_CONF in a temporary directory, tokens made with softhsm2-util, key
// pairs generated on them and public keys exported with p11tool (GnuTLS), the
// way the README tells users to.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "support/test_support.h"

namespace model_signing::testing {

class SoftHsm {
 public:
  SoftHsm();

  // SoftHSM2's module as Debian installs it.
  static std::filesystem::path module_path();

  const std::filesystem::path& config_path() const { return config_; }
  // Environment for child processes ("SOFTHSM2_CONF=...").
  std::vector<std::string> env() const;

  // Initializes a token in a free slot and returns the slot id it gets.
  unsigned long init_token(const std::string& label, const std::string& pin);
  // Key pairs generated on the token; `curve` is e.g. "secp256r1".
  void generate_ec_key(const std::string& token, const std::string& pin, const std::string& curve,
                       const std::string& label, const std::string& id_hex);
  void generate_rsa_key(const std::string& token, const std::string& pin, int bits,
                        const std::string& label, const std::string& id_hex);
  // Stores a PEM certificate on the token as a certificate object.
  void import_certificate(const std::string& token, const std::string& pin,
                          const std::filesystem::path& pem, const std::string& label,
                          const std::string& id_hex);
  // Exports the public key object with `label` from `token` as PEM.
  void export_public_key(const std::string& token, const std::string& pin, const std::string& label,
                         const std::filesystem::path& pem) const;

  std::filesystem::path path(const std::string& rel) const { return dir_ / rel; }

 private:
  CommandResult run(const std::string& program, const std::vector<std::string>& args) const;
  void p11tool(const std::string& token, const std::string& pin, std::vector<std::string> args) const;

  TempDir dir_;
  std::filesystem::path config_;
};

}  // namespace model_signing::testing
