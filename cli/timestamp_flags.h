// RFC 3161 timestamps on key and certificate signatures: --tsa-url and
// --tsa-certificate-chain on `sign key|certificate|pkcs11-key|
// pkcs11-certificate`; --tsa-certificate-chain and --require-timestamp on
// `verify key|certificate`.
#pragma once

#include <CLI/CLI.hpp>

#include <memory>
#include <string>
#include <vector>

#include "model_signing/signing.h"
#include "model_signing/verifying.h"

namespace model_signing::cli {

struct TimestampSignFlags {
  std::vector<std::string> tsa_urls;
  std::vector<std::string> tsa_certificate_chain;
};
void add_timestamp_sign_flags(CLI::App* cmd, TimestampSignFlags& flags);
// `signer`, timestamping its signatures when --tsa-url was given.
std::unique_ptr<Signer> with_timestamps(std::unique_ptr<Signer> signer, const TimestampSignFlags& flags);

struct TimestampVerifyFlags {
  std::vector<std::string> tsa_certificate_chain;
  bool require_timestamp = false;
  TimestampVerificationOptions options() const;
};
void add_timestamp_verify_flags(CLI::App* cmd, TimestampVerifyFlags& flags);

}  // namespace model_signing::cli
