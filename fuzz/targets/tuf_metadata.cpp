// TUF metadata: each role's parser, and the input as a trusted root (its
// own signatures) and as the next root, timestamp, snapshot and targets
// after Sigstore's production root.
#include <optional>

#include "fuzz_support.h"
#include "fuzz_target.h"
#include "tuf/metadata.h"
#include "tuf/trusted_metadata.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(tuf_metadata) {
  static const std::string production_root = read_shared("sigstore/tuf/production/root.json");
  run([&] { tuf::parse_root(input, "root.json"); });
  run([&] { tuf::parse_timestamp(input, "timestamp.json"); });
  run([&] { tuf::parse_snapshot(input, "snapshot.json"); });
  run([&] { tuf::parse_targets(input, "targets.json"); });
  run([&] { tuf::TrustedMetadata trusted(input, std::nullopt); });
  run([&] {
    tuf::TrustedMetadata trusted(production_root, std::nullopt);
    run([&] { trusted.update_root(input, "2.root.json"); });
    run([&] { trusted.update_timestamp(input); });
  });
}

}  // namespace model_signing::fuzz
