// The in-toto statement and manifest reader: a manifest it accepts is
// written back as a statement that reads as the same manifest.
#include "fuzz_target.h"
#include "model_signing/bundle.h"
#include "model_signing/manifest.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(statement) {
  Manifest manifest;
  if (!run([&] { manifest = manifest_from_statement(std::string(kInTotoPayloadType), std::string(input)); })) return;
  std::string written;
  if (!run([&] { written = statement_json(manifest); })) return;  // e.g. a legacy manifest without a name
  Manifest again;
  check(run([&] { again = manifest_from_statement(std::string(kInTotoPayloadType), written); }),
        "a written statement does not read");
  check(again.items() == manifest.items(), "a manifest does not round-trip");
  check(again.root_digest() == manifest.root_digest(), "a root digest changes on a round trip");
}

}  // namespace model_signing::fuzz
