#include "sigstore/tlog/log_entry.h"

#include "model_signing/error.h"
#include "sigstore/tlog/entry_body.h"
#include "util/encoding.h"
#include "util/json_util.h"

namespace model_signing::sigstore {

namespace {

struct KnownType {
  const char* kind;
  const char* version;
  LogEntryType type;
};

constexpr KnownType kKnownTypes[] = {
    {"hashedrekord", "0.0.1", {EntryBodyType::kHashedRekordV001, RekorVersion::kV1}},
    {"dsse", "0.0.1", {EntryBodyType::kDsseV001, RekorVersion::kV1}},
    {"intoto", "0.0.2", {EntryBodyType::kIntotoV002, RekorVersion::kV1}},
    {"hashedrekord", "0.0.2", {EntryBodyType::kHashedRekordV002, RekorVersion::kV2}},
    {"dsse", "0.0.2", {EntryBodyType::kDsseV002, RekorVersion::kV2}},
};

}  // namespace

std::optional<LogEntryType> log_entry_type(const std::string& kind, const std::string& version) {
  for (const KnownType& known : kKnownTypes) {
    if (kind == known.kind && version == known.version) return known.type;
  }
  return std::nullopt;
}

LogEntryType require_supported_type(const TransparencyLogEntry& entry) {
  std::optional<LogEntryType> type = log_entry_type(entry.kind, entry.version);
  if (!type) {
    throw Error(ErrorKind::kUnsupported,
                "entry type " + util::excerpt(entry.kind, 64) + " " + util::excerpt(entry.version, 64) + " is not supported");
  }
  return *type;
}

ParsedLogEntry parse_log_entry(const TransparencyLogEntry& entry, LogEntryType type) {
  using namespace entry_body;
  ParsedLogEntry parsed{&entry, type, {}};
  try {
    parsed.body = json_util::parse(bytes_text(entry.canonicalized_body), "canonicalizedBody");
  } catch (const Error& e) {
    mismatch(std::string("it is not JSON: ") + e.what());
  }
  std::string kind = string_field(parsed.body, "kind", "body");
  std::string version = string_field(parsed.body, "apiVersion", "body");
  if (kind != entry.kind || version != entry.version) {
    mismatch("it is a " + util::excerpt(kind, 64) + " " + util::excerpt(version, 64) + " entry, the bundle says " + util::excerpt(entry.kind, 64) + " " +
             util::excerpt(entry.version, 64));
  }
  return parsed;
}

}  // namespace model_signing::sigstore
