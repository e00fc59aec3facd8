// RFC 5280 path validation as of a given time (the "hybrid model": the chain
// must be valid when the signature was made, not now).
#pragma once

#include <string>
#include <vector>

#include "crypto/openssl.h"
#include "model_signing/sigstore_trust.h"

namespace model_signing::sigstore {

struct PathValidation {
  bool ok = false;
  std::string error;                   // when !ok: OpenSSL's reason and the certificate
  std::vector<crypto::X509Ptr> chain;  // when ok: leaf first, anchor last
};

// Validates `leaf` to `anchor` (trusted even if not self-signed) through
// `intermediates`, as if the current time were `t`. Certificate times have
// whole seconds, so a fractional `t` must lie within every validity window
// at both the second before and the second after.
PathValidation validate_path_at(X509* leaf, const std::vector<X509*>& intermediates, X509* anchor,
                                Time t);

}  // namespace model_signing::sigstore
