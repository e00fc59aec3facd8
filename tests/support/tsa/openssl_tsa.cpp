#include "support/tsa/openssl_tsa.h"

#include <stdexcept>

namespace model_signing::testing {

namespace {

TestIdentity tsa_leaf(const TestIdentity& root) {
  CertSpec spec;
  spec.common_name = "OpenSSL Test TSA";
  spec.time_stamping = true;
  return root.issue(spec);
}

}  // namespace

OpensslTsa::OpensslTsa()
    : root_(TestIdentity::make_root("P-256", "OpenSSL Test TSA Root")), leaf_(tsa_leaf(root_)) {
  root_.write_cert_pem(root_pem());
  leaf_.write_cert_pem(leaf_pem());
  leaf_.write_key_pem(dir_ / "tsa.key");
  write_file(dir_ / "serial", "01\n");
  const std::string d = dir_.path().string();
  write_file(dir_ / "tsa.cnf", "[ tsa ]\n"
                               "default_tsa = test_tsa\n"
                               "[ test_tsa ]\n"
                               "serial = " + d + "/serial\n"
                               "crypto_device = builtin\n"
                               "signer_cert = " + d + "/tsa.pem\n"
                               "signer_key = " + d + "/tsa.key\n"
                               "signer_digest = sha256\n"
                               "default_policy = 1.2.3.4.1\n"
                               "digests = sha256, sha384, sha512\n"
                               "accuracy = secs:1\n"
                               "ordering = yes\n"
                               "tsa_name = yes\n"
                               "ess_cert_id_chain = no\n"
                               "ess_cert_id_alg = sha256\n");
  server_ = std::make_unique<ChildProcess>(std::vector<std::string>{
      "/usr/bin/python3", (source_dir() / "tests/support/tsa/openssl_tsa.py").string(), (dir_ / "tsa.cnf").string()});
  auto line = server_->wait_for_stdout("READY ", std::chrono::seconds(30));
  if (!line) {
    server_->wait(std::chrono::milliseconds(100));
    throw std::runtime_error("the openssl TSA did not start: " + server_->err());
  }
  url_ = line->substr(line->find("READY ") + 6);
  while (!url_.empty() && (url_.back() == '\n' || url_.back() == '\r')) url_.pop_back();
}

OpensslTsa::~OpensslTsa() = default;

}  // namespace model_signing::testing
