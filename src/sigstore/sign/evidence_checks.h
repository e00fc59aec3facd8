// What the signer checks, against the trusted root and with the Sigstore
// verifier, before it signs and before it hands a bundle back: the
// certificate Fulcio issued (chain to a trusted CA, embedded SCT), each
// timestamp, each log entry (inclusion proof, checkpoint, SET), and finally
// the whole bundle.
#pragma once

#include <vector>

#include "crypto/openssl.h"
#include "model_signing/bundle.h"
#include "model_signing/sigstore_trust.h"

namespace model_signing::sigstore {

// Each throws Error(kUntrustedSigner) (or kInvalidSignature) naming the
// service and the check that failed.
void check_issued_certificate(const TrustedRoot& root, const std::vector<crypto::X509Ptr>& chain,
                              Time now, const std::string& service);
void check_timestamp(const TrustedRoot& root, const Bytes& timestamp_response,
                     const Bytes& signature, const std::string& service);
void check_log_entry(const TrustedRoot& root, const TransparencyLogEntry& entry,
                     const Bundle& bundle, const std::string& service);
void verify_signed_bundle(const TrustedRoot& root, const Bundle& bundle);

}  // namespace model_signing::sigstore
