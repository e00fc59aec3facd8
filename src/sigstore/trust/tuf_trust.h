// Sigstore trust material as targets of a TUF repository, through a cache
// (see TrustUpdate in model_signing/sigstore_trust.h).
#pragma once

#include "model_signing/sigstore_trust.h"

namespace model_signing::sigstore {

// select_trust_config() for tuf.update kTuf and kTufOffline.
SelectedTrust select_tuf_trust(const TrustOptions& options);

}  // namespace model_signing::sigstore
