// The one JSON reader untrusted documents go through: duplicate keys,
// nesting, numbers out of range and size, each a model_signing::Error.
#include "util/json_util.h"

#include <gtest/gtest.h>

#include "model_signing/error.h"
#include "support/expect_error.h"

namespace model_signing::json_util {
namespace {

using testing::expect_error;

TEST(JsonParse, ReadsDocuments) {
  json doc = parse(R"({"a": [1, -2, 3.5, "x", true, null, {"b": {}}], "c": 18446744073709551615})", "doc");
  EXPECT_EQ(doc["a"][1], -2);
  EXPECT_EQ(doc["a"][3], "x");
  EXPECT_TRUE(doc["a"][6]["b"].is_object());
  EXPECT_EQ(doc["c"].get<std::uint64_t>(), 18446744073709551615u);
  EXPECT_EQ(parse("[]", "doc"), json::array());
  EXPECT_EQ(parse(" 7 ", "doc"), 7);
}

TEST(JsonParse, RejectsDuplicateKeysAtAnyDepth) {
  EXPECT_TRUE(expect_error([] { parse(R"({"a": 1, "a": 2})", "doc"); }, ErrorKind::kMalformedBundle,
                           "doc: duplicate key 'a'"));
  EXPECT_TRUE(expect_error([] { parse(R"([{"x": {"k": 1, "j": [], "k": {}}}])", "doc"); },
                           ErrorKind::kMalformedBundle, "duplicate key 'k'"));
  // The same key in sibling objects is no duplicate.
  EXPECT_NO_THROW(parse(R"([{"k": 1}, {"k": 2}, {"o": {"k": 3}}])", "doc"));
}

TEST(JsonParse, DuplicateKeyMessagesAreEscapedAndShort) {
  std::string key = "\\u001b[2J" + std::string(5000, 'k');  // JSON for ESC [2J kkk...
  std::string message;
  EXPECT_TRUE(expect_error([&] { parse("{\"" + key + "\": 1, \"" + key + "\": 2}", "doc"); },
                           ErrorKind::kMalformedBundle, "duplicate key '\\x1b[2Jkkk", &message));
  EXPECT_LT(message.size(), 400u);
}

TEST(JsonParse, NestingIsLimited) {
  EXPECT_NO_THROW(parse(std::string(500, '[') + std::string(500, ']'), "doc"));
  EXPECT_TRUE(expect_error([] { parse(std::string(100000, '[') + std::string(100000, ']'), "doc"); },
                           ErrorKind::kMalformedBundle, "doc: nested deeper than 512 levels"));
  std::string objects;
  for (int i = 0; i < 600; ++i) objects += "{\"a\":";
  objects += "1" + std::string(600, '}');
  EXPECT_TRUE(expect_error([&] { parse(objects, "doc"); }, ErrorKind::kMalformedBundle, "nested deeper"));
}

// nlohmann throws out_of_range for these: they must come out as our Error.
TEST(JsonParse, NumbersOutOfRangeAreErrors) {
  for (const char* text : {"1e400", "[-1e400]", "{\"a\": 1E+99999}"}) {
    EXPECT_TRUE(expect_error([&] { parse(text, "doc"); }, ErrorKind::kMalformedBundle, "number overflow"))
        << text;
  }
}

TEST(JsonParse, MalformedTextIsNamed) {
  for (const char* text : {"{", "{\"a\" 1}", "[1,]", "{} {}", "\"\\x\"", "nul"}) {
    EXPECT_TRUE(expect_error([&] { parse(text, "doc"); }, ErrorKind::kMalformedBundle, "doc: not valid JSON"))
        << text;
  }
  EXPECT_TRUE(expect_error([] { parse(" \n", "doc"); }, ErrorKind::kMalformedBundle, "empty document"));
}

// A million sibling objects parse (with the duplicate check) as any other
// document: the check is linear, not a rescan of the parent per object.
TEST(JsonParse, ManySiblingsAndKeys) {
  std::string text = "[";
  for (int i = 0; i < 1000000; ++i) text += i ? ",{}" : "{}";
  text += "]";
  EXPECT_EQ(parse(text, "doc").size(), 1000000u);
  text = "{";
  for (int i = 0; i < 200000; ++i) text += (i ? ",\"" : "\"") + std::to_string(i) + "\":0";
  text += "}";
  EXPECT_EQ(parse(text, "doc").size(), 200000u);
}

}  // namespace
}  // namespace model_signing::json_util
