// Real Sigstore material for the log, checkpoint, timestamp and SCT
// targets: bundles of the conformance sample and the model vectors, each
// with what its log entries must record (the signed content) and the trust
// material that vouches for it.
#pragma once

#include <memory>
#include <vector>

#include "crypto/openssl.h"
#include "model_signing/bundle.h"
#include "sigstore/tlog/entry_body.h"
#include "sigstore/trust/trust_material.h"

namespace model_signing::fuzz {

struct SigstoreCase {
  Bundle bundle;
  crypto::X509Ptr leaf;  // may be null (key bundles)
  std::shared_ptr<sigstore::TrustMaterial> trust;
  sigstore::SignedContent content;  // points into bundle and leaf
};

// Cases whose bundles verify with their trust material.
const std::vector<std::unique_ptr<SigstoreCase>>& sigstore_cases();

}  // namespace model_signing::fuzz
