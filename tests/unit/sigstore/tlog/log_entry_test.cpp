// The one table of transparency log entry types, and the parsed entry.
#include <gtest/gtest.h>

#include "sigstore/tlog/log_entry.h"
#include "support/expect_error.h"

namespace model_signing::sigstore {
namespace {

using model_signing::testing::expect_error;

TEST(LogEntryType, KnowsEachSupportedTypeAndItsRekorVersion) {
  struct Row {
    const char* kind;
    const char* version;
    EntryBodyType body;
    RekorVersion rekor;
  } rows[] = {
      {"hashedrekord", "0.0.1", EntryBodyType::kHashedRekordV001, RekorVersion::kV1},
      {"dsse", "0.0.1", EntryBodyType::kDsseV001, RekorVersion::kV1},
      {"intoto", "0.0.2", EntryBodyType::kIntotoV002, RekorVersion::kV1},
      {"hashedrekord", "0.0.2", EntryBodyType::kHashedRekordV002, RekorVersion::kV2},
      {"dsse", "0.0.2", EntryBodyType::kDsseV002, RekorVersion::kV2},
  };
  for (const Row& row : rows) {
    SCOPED_TRACE(std::string(row.kind) + " " + row.version);
    std::optional<LogEntryType> type = log_entry_type(row.kind, row.version);
    ASSERT_TRUE(type);
    EXPECT_EQ(type->body, row.body);
    EXPECT_EQ(type->rekor, row.rekor);
    EXPECT_EQ(type->rekor_v2(), row.rekor == RekorVersion::kV2);
  }
  EXPECT_FALSE(log_entry_type("intoto", "0.0.1"));
  EXPECT_FALSE(log_entry_type("rekord", "0.0.1"));
  EXPECT_FALSE(log_entry_type("hashedrekord", "0.0.3"));
}

TEST(LogEntryType, UnsupportedTypesAreNamed) {
  TransparencyLogEntry entry;
  entry.kind = "rfc3161";
  entry.version = "0.0.1";
  EXPECT_TRUE(expect_error([&] { require_supported_type(entry); }, ErrorKind::kUnsupported,
                           "entry type rfc3161 0.0.1 is not supported"));
}

TransparencyLogEntry entry_with_body(const std::string& kind, const std::string& version,
                                     const std::string& body) {
  TransparencyLogEntry entry;
  entry.kind = kind;
  entry.version = version;
  entry.canonicalized_body.assign(body.begin(), body.end());
  return entry;
}

TEST(ParsedLogEntry, KeepsTheBodyAndItsType) {
  TransparencyLogEntry entry = entry_with_body(
      "dsse", "0.0.2", R"({"kind": "dsse", "apiVersion": "0.0.2", "spec": {"dsseV002": {}}})");
  ParsedLogEntry parsed = parse_log_entry(entry, require_supported_type(entry));
  EXPECT_EQ(parsed.entry, &entry);
  EXPECT_TRUE(parsed.rekor_v2());
  EXPECT_TRUE(parsed.body["spec"].contains("dsseV002"));
}

TEST(ParsedLogEntry, BodyMustBeJsonOfTheEntrysType) {
  TransparencyLogEntry not_json = entry_with_body("dsse", "0.0.2", "{");
  EXPECT_TRUE(expect_error([&] { parse_log_entry(not_json, require_supported_type(not_json)); },
                           ErrorKind::kInvalidSignature,
                           "entry body does not match the bundle: it is not JSON"));
  TransparencyLogEntry other = entry_with_body(
      "dsse", "0.0.2", R"({"kind": "hashedrekord", "apiVersion": "0.0.2", "spec": {}})");
  EXPECT_TRUE(expect_error([&] { parse_log_entry(other, require_supported_type(other)); },
                           ErrorKind::kInvalidSignature,
                           "it is a hashedrekord 0.0.2 entry, the bundle says dsse 0.0.2"));
}

}  // namespace
}  // namespace model_signing::sigstore
