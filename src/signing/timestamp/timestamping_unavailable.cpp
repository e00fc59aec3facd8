// Built instead of timestamping_signer.cpp without the network client
// (MS_WITH_SIGSTORE_SIGNING=OFF, no libcurl).
#include "model_signing/error.h"
#include "model_signing/signing.h"

namespace model_signing {

std::unique_ptr<Signer> make_timestamping_signer(std::unique_ptr<Signer>, TimestampingOptions) {
  throw Error(ErrorKind::kUnsupported,
              "timestamping signatures (--tsa-url) is not built into this model_signing (configured "
              "with MS_WITH_SIGSTORE_SIGNING=OFF)");
}

}  // namespace model_signing
