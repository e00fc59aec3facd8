// The stat record kept next to a signature (<signature>.stat.json), which
// says which files are unchanged when re-signing: a record that reads is
// written back and reads as the same record.
#include "fuzz_target.h"
#include "sources/stat_record.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(stat_record) {
  sources::StatRecord record;
  if (!run([&] { record = sources::parse_stat_record(input, "fuzz"); })) return;
  std::string written;
  check(run([&] { written = sources::stat_record_json(record); }), "a record that read cannot be written");
  sources::StatRecord again;
  check(run([&] { again = sources::parse_stat_record(written, "fuzz"); }), "a written record does not read");
  check(again.signature_sha256 == record.signature_sha256 && again.model == record.model &&
            again.files == record.files,
        "a record does not round-trip");
}

}  // namespace model_signing::fuzz
