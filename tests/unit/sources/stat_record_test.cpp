// The stat record's text: what stat_record_json() writes reads back as the
// same record, and a record that is not one (or whose numbers do not fit)
// is refused with the field named.
#include <gtest/gtest.h>

#include <string>

#include "sources/stat_record.h"
#include "support/expect_error.h"

namespace model_signing::testing {
namespace {

sources::StatRecord sample() {
  sources::StatRecord record;
  record.signature_sha256 = std::string(64, 'c');
  record.model = "/models/m";
  record.files = {{"a.bin", {16, 1700000000123456789}}, {"sub/b\nc", {0, -5}}};
  return record;
}

TEST(StatRecord, WhatIsWrittenReadsBack) {
  sources::StatRecord record = sample();
  sources::StatRecord again = sources::parse_stat_record(sources::stat_record_json(record), "r");
  EXPECT_EQ(again.signature_sha256, record.signature_sha256);
  EXPECT_EQ(again.model, record.model);
  EXPECT_EQ(again.files, record.files);
}

TEST(StatRecord, RefusesNumbersThatDoNotFit) {
  std::string text = sources::stat_record_json(sample());
  const std::string mtime = "1700000000123456789";
  ASSERT_NE(text.find(mtime), std::string::npos);
  // 2^63: an unsigned JSON number that would wrap to a negative mtime.
  std::string too_late = text;
  too_late.replace(too_late.find(mtime), mtime.size(), "9223372036854775808");
  EXPECT_TRUE(expect_error([&] { sources::parse_stat_record(too_late, "record r"); },
                           ErrorKind::kInvalidArgument, "record r: entry 'a.bin' needs an integer size and mtimeNs"));
  std::string negative_size = text;
  negative_size.replace(negative_size.find("\"size\": 16"), 10, "\"size\": -16");
  EXPECT_TRUE(expect_error([&] { sources::parse_stat_record(negative_size, "record r"); },
                           ErrorKind::kInvalidArgument, "needs an integer size"));
}

TEST(StatRecord, RefusesWhatIsNotARecord) {
  EXPECT_TRUE(expect_error([] { sources::parse_stat_record("[]", "record r"); }, ErrorKind::kInvalidArgument,
                           "record r: no mediaType"));
  EXPECT_TRUE(expect_error([] { sources::parse_stat_record(R"({"mediaType": "x"})", "record r"); },
                           ErrorKind::kInvalidArgument, "unknown mediaType"));
  EXPECT_TRUE(expect_error([] { sources::parse_stat_record("{", "record r"); }, ErrorKind::kInvalidArgument,
                           "record r"));
}

}  // namespace
}  // namespace model_signing::testing
