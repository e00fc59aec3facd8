// The signing certificate of a Sigstore bundle: its chain to a Fulcio CA of
// the trusted root at a verified time, and the Fulcio certificate profile.
#pragma once

#include <string>
#include <vector>

#include "crypto/openssl.h"
#include "sigstore/trust/trust_material.h"

namespace model_signing::sigstore {

struct FulcioChain {
  const TrustedAuthority* ca = nullptr;
  crypto::X509Ptr issuer;  // the certificate that issued the leaf
};

// A verified time and what vouches for it ("the integrated time of
// transparency log entry 0"), for messages.
struct TimeToCheck {
  Time time;
  std::string description;
};

// Finds a Fulcio CA of the trusted root whose validity window contains every
// time, and to which the leaf validates as of every time (hybrid model: each
// certificate of the chain valid at each time). Signatures are checked once.
// Throws Error(kUntrustedSigner).
FulcioChain verify_fulcio_chain(X509* leaf, const TrustMaterial& trust,
                                const std::vector<TimeToCheck>& times);

// Key usage digitalSignature, extended key usage codeSigning, not a CA.
// Throws Error(kUntrustedSigner).
void check_fulcio_profile(X509* leaf);

}  // namespace model_signing::sigstore
