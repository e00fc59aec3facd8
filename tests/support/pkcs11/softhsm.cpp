#include "support/pkcs11/softhsm.h"

#include <unistd.h>

#include <cctype>
#include <cstdlib>
#include <stdexcept>

namespace model_signing::testing {

SoftHsm::SoftHsm() : config_(dir_ / "softhsm2.conf") {
  std::filesystem::create_directories(dir_ / "tokens");
  write_file(config_, "directories.tokendir = " + (dir_ / "tokens").string() +
                          "\nobjectstore.backend = file\nlog.level = ERROR\n");
}

std::filesystem::path SoftHsm::module_path() { return "/usr/lib/softhsm/libsofthsm2.so"; }

std::vector<std::string> SoftHsm::env() const { return {"SOFTHSM2_CONF=" + config_.string()}; }

namespace {

// run_command does not search PATH.
std::string find_program(const std::string& name) {
  const char* path = std::getenv("PATH");
  std::string dirs = path ? path : "/usr/bin:/bin";
  for (std::size_t start = 0; start <= dirs.size();) {
    std::size_t end = dirs.find(':', start);
    if (end == std::string::npos) end = dirs.size();
    std::filesystem::path candidate = std::filesystem::path(dirs.substr(start, end - start)) / name;
    if (::access(candidate.c_str(), X_OK) == 0) return candidate.string();
    start = end + 1;
  }
  throw std::runtime_error(name + " is not installed (see scripts/debian-packages.txt)");
}

}  // namespace

CommandResult SoftHsm::run(const std::string& program, const std::vector<std::string>& args) const {
  CommandResult result = run_command(find_program(program), args, "", env());
  if (result.exit_code != 0) {
    throw std::runtime_error(program + " failed: " + result.out + result.err);
  }
  return result;
}

unsigned long SoftHsm::init_token(const std::string& label, const std::string& pin) {
  CommandResult result = run("softhsm2-util", {"--init-token", "--free", "--label", label,
                                               "--so-pin", "so-" + pin, "--pin", pin});
  const std::string marker = "reassigned to slot ";
  std::size_t at = result.out.find(marker);
  if (at == std::string::npos || !std::isdigit(static_cast<unsigned char>(result.out[at + marker.size()]))) {
    throw std::runtime_error("softhsm2-util printed no slot: " + result.out);
  }
  return std::stoul(result.out.substr(at + marker.size()));
}

void SoftHsm::p11tool(const std::string& token, const std::string& pin,
                      std::vector<std::string> args) const {
  args.insert(args.begin(), {"--provider", module_path().string(), "--login", "--set-pin=" + pin});
  args.push_back("pkcs11:token=" + token);  // test labels need no percent-encoding
  run("p11tool", args);
}

void SoftHsm::generate_ec_key(const std::string& token, const std::string& pin,
                              const std::string& curve, const std::string& label,
                              const std::string& id_hex) {
  p11tool(token, pin, {"--generate-privkey=ECDSA", "--curve=" + curve, "--label=" + label,
                       "--id=" + id_hex, "--outfile=" + (dir_ / "generated.pub").string()});
}

void SoftHsm::generate_rsa_key(const std::string& token, const std::string& pin, int bits,
                               const std::string& label, const std::string& id_hex) {
  p11tool(token, pin, {"--generate-privkey=RSA", "--bits=" + std::to_string(bits),
                       "--label=" + label, "--id=" + id_hex,
                       "--outfile=" + (dir_ / "generated.pub").string()});
}

void SoftHsm::import_certificate(const std::string& token, const std::string& pin,
                                 const std::filesystem::path& pem, const std::string& label,
                                 const std::string& id_hex) {
  p11tool(token, pin, {"--write", "--load-certificate=" + pem.string(), "--label=" + label,
                       "--id=" + id_hex});
}

void SoftHsm::export_public_key(const std::string& token, const std::string& pin,
                                const std::string& label, const std::filesystem::path& pem) const {
  p11tool(token + ";object=" + label + ";type=public", pin,
          {"--export-pubkey", "--outfile=" + pem.string()});
}

}  // namespace model_signing::testing
