// A signed checkpoint (signed note): parsed, and its signature checked
// against every log of the fixtures' trust material.
#include "fuzz_target.h"
#include "sigstore/tlog/checkpoint.h"
#include "sigstore_fixtures.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(checkpoint) {
  sigstore::SignedCheckpoint checkpoint;
  if (!run([&] { checkpoint = sigstore::parse_checkpoint(std::string(input)); })) return;
  for (const auto& c : sigstore_cases()) {
    for (const auto& log : c->trust->tlogs()) {
      run([&] { sigstore::verify_checkpoint_signature(checkpoint, log); });
    }
  }
}

}  // namespace model_signing::fuzz
