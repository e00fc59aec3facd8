// RFC 3161 timestamps in key and certificate bundles, checked against the
// TSA trust anchors the user gives (TimestampVerificationOptions).
#pragma once

#include <vector>

#include "crypto/openssl.h"
#include "model_signing/sigstore_trust.h"
#include "model_signing/verifying.h"

namespace model_signing::signing {

class TimestampVerifier {
 public:
  // Loads the anchors. Throws Error(kInvalidArgument) when a timestamp is
  // required but there are no anchors to verify it with, Error(kIo) for
  // unreadable files.
  explicit TimestampVerifier(const TimestampVerificationOptions& options);

  // Verifies every timestamp of `vm` over `signature` and returns their
  // times (empty when there are none, or no anchors to verify them: a
  // warning then says they were not used). Throws Error(kUntrustedSigner)
  // naming the timestamp and the reason, or when one is required and
  // absent. Adds a detail line per verified timestamp.
  std::vector<sigstore::Time> verify(const VerificationMaterial& vm, const Bytes& signature,
                                     VerifiedPayload& result) const;

 private:
  bool require_;
  std::vector<crypto::X509Ptr> anchors_;
};

}  // namespace model_signing::signing
