#include "signing/timestamp/timestamp_verification.h"

#include "crypto/x509.h"
#include "model_signing/error.h"
#include "sigstore/timestamp/rfc3161_timestamp.h"
#include "util/error_context.h"

namespace model_signing::signing {

TimestampVerifier::TimestampVerifier(const TimestampVerificationOptions& options)
    : require_(options.require_timestamp) {
  for (const auto& file : options.tsa_trust_anchors) {
    for (auto& cert : crypto::load_certificates_pem(file)) anchors_.push_back(std::move(cert));
  }
  if (require_ && anchors_.empty()) {
    throw Error(ErrorKind::kInvalidArgument,
                "requiring a timestamp needs the TSA trust anchors to verify it with "
                "(--tsa-certificate-chain)");
  }
}

std::vector<sigstore::Time> TimestampVerifier::verify(const VerificationMaterial& vm, const Bytes& signature,
                                                      VerifiedPayload& result) const {
  const auto& stamps = vm.rfc3161_timestamps;
  if (stamps.empty()) {
    if (require_) {
      throw Error(ErrorKind::kUntrustedSigner,
                  "bundle has no RFC 3161 timestamp (verificationMaterial.timestampVerificationData), "
                  "and one is required");
    }
    return {};
  }
  if (anchors_.empty()) {
    result.warnings.push_back("the bundle's RFC 3161 timestamp" + std::string(stamps.size() > 1 ? "s were" : " was") +
                              " not checked and not used: no TSA trust anchors were given "
                              "(--tsa-certificate-chain)");
    return {};
  }
  std::vector<X509*> anchors;
  for (const auto& a : anchors_) anchors.push_back(a.get());
  std::vector<sigstore::Time> times;
  for (std::size_t i = 0; i < stamps.size(); ++i) {
    std::string where = "timestampVerificationData.rfc3161Timestamps[" + std::to_string(i) + "]";
    sigstore::VerifiedRfc3161Timestamp verified = util::with_error_prefix(
        where, [&] { return sigstore::verify_rfc3161_timestamp(stamps[i], signature, anchors); });
    result.details.push_back("signature timestamped at " + sigstore::format_time(verified.time) + " (RFC 3161, " +
                             verified.signer + ")");
    times.push_back(verified.time);
  }
  return times;
}

}  // namespace model_signing::signing
