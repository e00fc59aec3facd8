// What an Error's message may hold: one line, no terminal escapes, bounded.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "model_signing/error.h"
#include "util/encoding.h"

namespace model_signing {
namespace {

using ::testing::EndsWith;
using ::testing::HasSubstr;
using ::testing::StartsWith;

TEST(Printable, EscapesControlsC1AndBidiOverrides) {
  EXPECT_EQ(util::printable("a\nb\x1b[31m\x7f"), "a\\x0ab\\x1b[31m\\x7f");
  EXPECT_EQ(util::printable("csi \xc2\x9b" "31m"), "csi \\u{009b}31m");  // U+009B
  EXPECT_EQ(util::printable("rtl \xe2\x80\xae" "txt"), "rtl \\u{202e}txt");  // U+202E
  EXPECT_EQ(util::printable("iso \xe2\x81\xa6"), "iso \\u{2066}");          // U+2066
  // Other non-ASCII text is kept.
  EXPECT_EQ(util::printable("caf\xc3\xa9 \xe2\x82\xac \xc2\xa0"), "caf\xc3\xa9 \xe2\x82\xac \xc2\xa0");
  // Invalid UTF-8: every high byte is escaped.
  EXPECT_EQ(util::printable("bad\xff\xc2\x9b"), "bad\\xff\\xc2\\x9b");
  // Escaping twice changes nothing more.
  std::string once = util::printable("x\x1b\xc2\x9b\xe2\x80\xae");
  EXPECT_EQ(util::printable(once), once);
}

TEST(Printable, ExcerptCutsLongFieldsAndSaysSo) {
  EXPECT_EQ(util::excerpt("short"), "short");
  std::string cut = util::excerpt(std::string(1000, 'x'), 10);
  EXPECT_EQ(cut, "xxxxxxxxxx... (1000 bytes)");
  // Never inside a UTF-8 sequence.
  std::string euros;
  for (int i = 0; i < 10; ++i) euros += "\xe2\x82\xac";
  EXPECT_TRUE(util::is_valid_utf8(util::excerpt(euros, 5)));
  EXPECT_THAT(util::excerpt(euros, 5), StartsWith("\xe2\x82\xac..."));
}

TEST(ErrorMessage, IsOneEscapedLine) {
  Error e(ErrorKind::kMalformedBundle, "field 'x\ny\x1b]0;title\x07' \xc2\x9b");
  EXPECT_STREQ(e.what(), "field 'x\\x0ay\\x1b]0;title\\x07' \\u{009b}");
}

TEST(ErrorMessage, IsCutWhenLong) {
  std::string message = "unsupported media type '" + std::string(50 << 20, 'm') + "'";
  Error e(ErrorKind::kMalformedBundle, message);
  std::string what = e.what();
  EXPECT_LE(what.size(), detail::kMaxErrorMessage);
  EXPECT_THAT(what, StartsWith("unsupported media type 'mmm"));
  EXPECT_THAT(what, EndsWith("... (" + std::to_string(message.size()) + " bytes)"));
  // Escapes are not cut in half.
  Error escapes(ErrorKind::kMalformedBundle, std::string(3000, '\x1b'));
  std::string shown = escapes.what();
  EXPECT_LE(shown.size(), detail::kMaxErrorMessage);
  EXPECT_THAT(shown, EndsWith("\\x1b... (3000 bytes)"));
}

TEST(ErrorMessage, MismatchListsTheFirstNamesAndCountsTheRest) {
  std::vector<std::string> extra;
  for (int i = 0; i < 1000; ++i) extra.push_back("file-" + std::to_string(i));
  ModelMismatchError e(extra, {"gone\x1b"}, {});
  std::string what = e.what();
  EXPECT_THAT(what, HasSubstr("file-0, file-1,"));
  EXPECT_THAT(what, HasSubstr("file-19 and 980 more"));
  EXPECT_THAT(what, HasSubstr("missing files: gone\\x1b"));
  EXPECT_EQ(e.extra().size(), 1000u);
}

}  // namespace
}  // namespace model_signing
