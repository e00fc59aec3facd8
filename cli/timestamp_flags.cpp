#include "timestamp_flags.h"

#include "cli_options.h"
#include "http_options.h"

namespace model_signing::cli {

void add_timestamp_sign_flags(CLI::App* cmd, TimestampSignFlags& flags) {
  auto* url = repeatable(cmd->add_option(
                             "--tsa-url", flags.tsa_urls,
                             "RFC 3161 timestamp authority to timestamp the signature (repeatable: "
                             "each is asked). The timestamp goes into the bundle's "
                             "timestampVerificationData, which the Python tool ignores."))
                  ->type_name("URL");
  repeatable(cmd->add_option("--tsa-certificate-chain", flags.tsa_certificate_chain,
                             "PEM certificates the timestamp authority's chain must lead to "
                             "(repeatable). Default: the certificates in its response."))
      ->type_name("CERTIFICATE_PATH")
      ->needs(url);
}

std::unique_ptr<Signer> with_timestamps(std::unique_ptr<Signer> signer, const TimestampSignFlags& flags) {
  if (flags.tsa_urls.empty()) return signer;
  TimestampingOptions options;
  options.tsa_urls = flags.tsa_urls;
  options.tsa_certificate_chain.assign(flags.tsa_certificate_chain.begin(), flags.tsa_certificate_chain.end());
  options.http = http_options();
  return make_timestamping_signer(std::move(signer), std::move(options));
}

TimestampVerificationOptions TimestampVerifyFlags::options() const {
  TimestampVerificationOptions options;
  options.tsa_trust_anchors.assign(tsa_certificate_chain.begin(), tsa_certificate_chain.end());
  options.require_timestamp = require_timestamp;
  return options;
}

void add_timestamp_verify_flags(CLI::App* cmd, TimestampVerifyFlags& flags) {
  auto* chain = repeatable(cmd->add_option(
                               "--tsa-certificate-chain", flags.tsa_certificate_chain,
                               "Trust anchors for RFC 3161 timestamps in the bundle: PEM certificate "
                               "files (repeatable). With them, every timestamp must verify, and a "
                               "certificate chain is checked at the timestamp's time. Without them, "
                               "timestamps are not used."))
                    ->type_name("CERTIFICATE_PATH");
  cmd->add_flag("--require-timestamp", flags.require_timestamp,
                "Fail unless the bundle carries an RFC 3161 timestamp that verifies.")
      ->needs(chain);
}

}  // namespace model_signing::cli
