// An independent RFC 3161 timestamp authority for tests: `openssl ts
// -reply` behind a tiny HTTP front (openssl_tsa.py) on 127.0.0.1, with its
// own CA, started for one test and stopped with it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include "support/child_process.h"
#include "support/test_pki.h"
#include "support/test_support.h"

namespace model_signing::testing {

class OpensslTsa {
 public:
  OpensslTsa();
  ~OpensslTsa();

  std::string url() const { return url_; }
  // The TSA's root CA: the trust anchor for --tsa-certificate-chain.
  std::filesystem::path root_pem() const { return dir_ / "tsa-root.pem"; }
  // Its signing certificate (critical timeStamping EKU), issued by the root.
  std::filesystem::path leaf_pem() const { return dir_ / "tsa.pem"; }

 private:
  TempDir dir_;
  TestIdentity root_;
  TestIdentity leaf_;
  std::unique_ptr<ChildProcess> server_;
  std::string url_;
};

}  // namespace model_signing::testing
