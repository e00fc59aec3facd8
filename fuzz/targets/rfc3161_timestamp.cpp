// An RFC 3161 timestamp response over the signature of a real bundle,
// checked with the trust material of the fixtures that have timestamp
// authorities.
#include "fuzz_target.h"
#include "sigstore/timestamp/rfc3161_timestamp.h"
#include "sigstore_fixtures.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(rfc3161_timestamp) {
  Bytes response(input.begin(), input.end());
  for (const auto& c : sigstore_cases()) {
    if (c->trust->timestamp_authorities().empty()) continue;
    run([&] { sigstore::verify_rfc3161_timestamp(response, c->content.signature, *c->trust); });
  }
}

}  // namespace model_signing::fuzz
