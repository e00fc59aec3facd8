// A Rekor entry body (canonicalizedBody), as every supported kind and
// version, checked against what real bundles signed.
#include "fuzz_target.h"
#include "sigstore/tlog/log_entry.h"
#include "sigstore/tlog/transparency_log.h"
#include "sigstore_fixtures.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(rekor_body) {
  static const std::pair<const char*, const char*> kTypes[] = {
      {"hashedrekord", "0.0.1"}, {"dsse", "0.0.1"}, {"intoto", "0.0.2"}, {"hashedrekord", "0.0.2"}, {"dsse", "0.0.2"}};
  for (const auto& c : sigstore_cases()) {
    const auto& entries = c->bundle.verification_material.tlog_entries;
    if (entries.empty()) continue;
    const sigstore::TrustedLog* log = c->trust->find_tlog(entries.front().log_id);
    if (!log) continue;
    for (const auto& [kind, version] : kTypes) {
      TransparencyLogEntry entry = entries.front();
      entry.kind = kind;
      entry.version = version;
      entry.canonicalized_body.assign(input.begin(), input.end());
      run([&] {
        sigstore::LogEntryType type = sigstore::require_supported_type(entry);
        sigstore::ParsedLogEntry parsed = sigstore::parse_log_entry(entry, type);
        if (type.rekor_v2()) {
          sigstore::verify_rekor_v2_entry(parsed, *log, c->content);
        } else {
          sigstore::verify_rekor_v1_entry(parsed, *log, c->content, {});
        }
      });
    }
  }
}

}  // namespace model_signing::fuzz
