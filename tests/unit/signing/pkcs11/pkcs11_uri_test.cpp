// Parsing RFC 7512 URIs and reading the PIN: no token needed.
#include <gtest/gtest.h>

#include "model_signing/error.h"
#include "signing/pkcs11/pkcs11_uri.h"
#include "support/expect_error.h"
#include "support/test_support.h"

namespace model_signing::pkcs11 {
namespace {

using testing::TempDir;
using testing::write_file;

// Parsing `text` fails with Error(kInvalidArgument) saying `why`.
::testing::AssertionResult rejected(const std::string& text, const std::string& why = "") {
  return testing::expect_error([&] { Pkcs11Uri::parse(text); }, ErrorKind::kInvalidArgument, why);
}

TEST(Pkcs11Uri, ReadsEveryAttributeWeUse) {
  Pkcs11Uri uri = Pkcs11Uri::parse(
      "pkcs11:slot-id=42;token=my%20token;object=key%2Dlabel;id=%01%ff;type=private"
      "?module-path=/usr/lib/x.so&module-name=x&pin-value=12%3B4");
  EXPECT_EQ(uri.slot_id, 42u);
  EXPECT_EQ(uri.token, "my token");
  EXPECT_EQ(uri.object, "key-label");
  EXPECT_EQ(uri.id, (std::vector<std::uint8_t>{0x01, 0xff}));
  EXPECT_EQ(uri.module_path, "/usr/lib/x.so");
  EXPECT_EQ(uri.module_name, "x");
  EXPECT_EQ(uri.pin_value, "12;4");
  EXPECT_FALSE(uri.pin_source);
  EXPECT_TRUE(uri.names_token());
  EXPECT_EQ(uri.describe_object(), "label 'key-label' and id 01ff");
}

TEST(Pkcs11Uri, AbsentAttributesStayAbsent) {
  Pkcs11Uri uri = Pkcs11Uri::parse("pkcs11:id=%02");
  EXPECT_FALSE(uri.slot_id);
  EXPECT_FALSE(uri.token);
  EXPECT_FALSE(uri.object);
  EXPECT_FALSE(uri.module_path);
  EXPECT_FALSE(uri.module_name);
  EXPECT_FALSE(uri.names_token());
  EXPECT_EQ(uri.describe_object(), "id 02");
  EXPECT_TRUE(Pkcs11Uri::parse("pkcs11:serial=abc;object=k").names_token());
}

TEST(Pkcs11Uri, MatchesTokenAttributesLikeRfc7512) {
  Pkcs11Uri uri = Pkcs11Uri::parse("pkcs11:token=alpha;object=k");
  CK_SLOT_INFO slot{};
  CK_TOKEN_INFO token{};
  auto set_label = [&](const std::string& label) {
    std::fill(std::begin(token.label), std::end(token.label), ' ');
    std::copy(label.begin(), label.end(), token.label);
  };
  set_label("alpha");
  EXPECT_TRUE(uri.matches(slot, token));
  set_label("alphabet");
  EXPECT_FALSE(uri.matches(slot, token));
}

TEST(Pkcs11Uri, RejectsMalformedUris) {
  EXPECT_TRUE(rejected("http://token/key"));
  EXPECT_TRUE(rejected("pkcs11:object=%zz"));
  EXPECT_TRUE(rejected("pkcs11:object"));
  EXPECT_TRUE(rejected("pkcs11:slot-id=abc;object=k"));
  EXPECT_TRUE(rejected("pkcs11:object=a;object=b", "'object' given twice"));
  EXPECT_TRUE(rejected("pkcs11:object=a?pin-value=1&pin-value=2", "'pin-value' given twice"));
  EXPECT_TRUE(rejected("pkcs11:tokn=t;object=a", "unknown attribute 'tokn'"));
  EXPECT_TRUE(rejected("pkcs11:object=a?pin_value=1", "unknown attribute 'pin_value'"));
  EXPECT_TRUE(rejected("pkcs11:object=a?pin-value=1&pin-source=/p", "both pin-value and pin-source"));
  EXPECT_TRUE(rejected("pkcs11:token=t", "names no key"));
  EXPECT_NO_THROW(Pkcs11Uri::parse("pkcs11:object=a?x-vendor=1"));
}

TEST(Pkcs11Uri, ErrorsNeverEchoThePin) {
  std::string message =
      testing::error_message([] { Pkcs11Uri::parse("pkcs11:token=t?pin-value=s3cr3t"); });
  EXPECT_NE(message, "");
  EXPECT_EQ(message.find("s3cr3t"), std::string::npos) << message;
}

TEST(Pkcs11Uri, ReadsThePinFromPinValueOrAFile) {
  TempDir dir;
  write_file(dir / "pin", "4321\n");
  write_file(dir / "pin-crlf", "4321\r\n");
  write_file(dir / "pin-raw", " 4321 ");
  EXPECT_EQ(read_pin(Pkcs11Uri::parse("pkcs11:object=k?pin-value=1234")), "1234");
  EXPECT_EQ(read_pin(Pkcs11Uri::parse("pkcs11:object=k")), std::nullopt);
  EXPECT_EQ(read_pin(Pkcs11Uri::parse("pkcs11:object=k?pin-source=" + (dir / "pin").string())), "4321");
  EXPECT_EQ(read_pin(Pkcs11Uri::parse("pkcs11:object=k?pin-source=file:" + (dir / "pin-crlf").string())),
            "4321");
  EXPECT_EQ(read_pin(Pkcs11Uri::parse("pkcs11:object=k?pin-source=file://" + (dir / "pin-raw").string())),
            " 4321 ");
  EXPECT_THROW(read_pin(Pkcs11Uri::parse("pkcs11:object=k?pin-source=" + (dir / "missing").string())),
               Error);
  EXPECT_THROW(read_pin(Pkcs11Uri::parse("pkcs11:object=k?pin-source=https://example.com/pin")), Error);
  EXPECT_THROW(read_pin(Pkcs11Uri::parse("pkcs11:object=k?pin-source=file://host/pin")), Error);
}

}  // namespace
}  // namespace model_signing::pkcs11
