// Rekor v1's signed entry timestamp (SET, the bundle's inclusionPromise):
// the log's signature over the RFC 8785 canonical JSON of
// {body, integratedTime, logID, logIndex}.
#pragma once

#include "model_signing/bundle.h"
#include "sigstore/trust/trust_material.h"

namespace model_signing::sigstore {

// The exact bytes the log signed for `entry`.
std::string signed_entry_timestamp_payload(const TransparencyLogEntry& entry);

// Throws Error(kInvalidSignature) when the entry has no SET or it does not
// verify with the log's key.
void verify_signed_entry_timestamp(const TransparencyLogEntry& entry, const TrustedLog& log);

}  // namespace model_signing::sigstore
