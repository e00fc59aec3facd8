// Built instead of the HTTP fetcher when the library is configured without
// its network client (MS_WITH_SIGSTORE_SIGNING=OFF, no libcurl): a TUF
// Updater then works offline, from its metadata directory, or with a
// Fetcher the caller supplies.
#include "model_signing/error.h"
#include "model_signing/tuf.h"

namespace model_signing::tuf {

std::shared_ptr<Fetcher> make_http_fetcher(const HttpOptions&) {
  throw Error(ErrorKind::kUnsupported,
              "fetching TUF metadata over HTTP is not built into this model_signing (configured "
              "with MS_WITH_SIGSTORE_SIGNING=OFF); use the cached metadata offline");
}

}  // namespace model_signing::tuf
