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
// `intermediates`: signatures, CA constraints, extensions; no times.
PathValidation validate_path(X509* leaf, const std::vector<X509*>& intermediates, X509* anchor);

// Why some certificate of `chain` is not valid at `t` (notBefore <= t <=
// notAfter, closed as RFC 5280 says); empty if all are.
std::string chain_invalid_at(const std::vector<crypto::X509Ptr>& chain, Time t);

// validate_path(), then chain_invalid_at(t): the path as if it were `t`.
PathValidation validate_path_at(X509* leaf, const std::vector<X509*>& intermediates, X509* anchor,
                                Time t);

// "certificate 'CN=...'" or "certificate with an empty subject".
std::string describe_certificate(X509* cert);

}  // namespace model_signing::sigstore
