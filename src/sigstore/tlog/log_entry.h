// A transparency log entry of a bundle, classified once: which Rekor
// version wrote it and which body type it is (the one table of supported
// kinds and versions), with its body parsed.
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "model_signing/bundle.h"

namespace model_signing::sigstore {

enum class RekorVersion { kV1, kV2 };

enum class EntryBodyType {
  kHashedRekordV001,  // Rekor v1
  kDsseV001,          // Rekor v1
  kIntotoV002,        // Rekor v1, despite its version number
  kHashedRekordV002,  // Rekor v2
  kDsseV002,          // Rekor v2
};

struct LogEntryType {
  EntryBodyType body;
  RekorVersion rekor;
  bool rekor_v2() const { return rekor == RekorVersion::kV2; }
};

// The type of an entry's kindVersion; nullopt when it is not supported.
std::optional<LogEntryType> log_entry_type(const std::string& kind, const std::string& version);
// As above; throws Error(kUnsupported) "entry type <kind> <version> is not
// supported".
LogEntryType require_supported_type(const TransparencyLogEntry& entry);

struct ParsedLogEntry {
  const TransparencyLogEntry* entry = nullptr;
  LogEntryType type;
  nlohmann::json body;  // canonicalizedBody
  bool rekor_v2() const { return type.rekor_v2(); }
};

// Parses the entry's canonicalizedBody and checks that its kind and
// apiVersion are the entry's. Throws Error(kInvalidSignature) "entry body
// does not match the bundle: ..." when it is not JSON or names another type.
ParsedLogEntry parse_log_entry(const TransparencyLogEntry& entry, LogEntryType type);

}  // namespace model_signing::sigstore
