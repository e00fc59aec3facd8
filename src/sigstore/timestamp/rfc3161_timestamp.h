// RFC 3161 signed timestamps from a bundle's timestampVerificationData,
// verified offline against the timestamp authorities of the trusted root.
#pragma once

#include <string>
#include <vector>

#include "crypto/openssl.h"
#include "model_signing/bundle.h"
#include "model_signing/sigstore_trust.h"
#include "sigstore/trust/trust_material.h"

namespace model_signing::sigstore {

// Verifies a DER TimeStampResp over `timestamped` (the signature bytes):
// granted status, message imprint, CMS signature by a TSA of the trusted
// root whose chain is valid at the timestamp's genTime (hybrid model), and
// genTime within that TSA's validity window. Returns genTime.
// Throws Error(kUntrustedSigner) naming the reason.
// The genTime of a DER TimeStampResp, unverified (for showing what a
// bundle claims). Throws Error(kUntrustedSigner) if it does not parse.
Time rfc3161_gen_time(const Bytes& response);

Time verify_rfc3161_timestamp(const Bytes& response, const Bytes& timestamped,
                              const TrustMaterial& trust);

struct VerifiedRfc3161Timestamp {
  Time time;           // genTime
  std::string signer;  // "certificate 'CN=...'" of the TSA's signing certificate
};

// The same checks against explicit trust anchors (any of them may end the
// TSA's chain; the token's own certificates fill the path) and no validity
// windows beyond the certificates' own. With no anchors, the certificates
// the token carries are the anchors: a consistency check of the response
// (signature, imprint, timeStamping EKU, validity at genTime), not trust.
// Throws Error(kUntrustedSigner) naming the reason.
VerifiedRfc3161Timestamp verify_rfc3161_timestamp(const Bytes& response, const Bytes& timestamped,
                                                  const std::vector<X509*>& anchors);

}  // namespace model_signing::sigstore
