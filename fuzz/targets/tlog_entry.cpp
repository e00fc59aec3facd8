// A transparency log entry (the bundle's tlogEntries[] object): read, its
// body checked against the content a real bundle signed, its signed entry
// timestamp, inclusion proof and checkpoint verified with that bundle's
// trust material.
#include "bundle/tlog_entry_json.h"
#include "fuzz_target.h"
#include "sigstore/tlog/transparency_log.h"
#include "sigstore_fixtures.h"
#include "util/json_util.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(tlog_entry) {
  TransparencyLogEntry entry;
  if (!run([&] { entry = parse_transparency_log_entry(json_util::parse(input, "entry"), "entry"); })) return;
  for (const auto& c : sigstore_cases()) {
    for (bool v01 : {false, true}) {
      sigstore::TlogRequirements required;
      required.inclusion_promise = v01;
      required.inclusion_proof = !v01;
      run([&] { sigstore::verify_tlog_entry(entry, *c->trust, c->content, required); });
    }
  }
}

}  // namespace model_signing::fuzz
