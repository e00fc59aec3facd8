#include "sigstore/oidc/identity_token.h"

#include <gtest/gtest.h>

#include <limits>

#include <nlohmann/json.hpp>

#include "model_signing/error.h"
#include "support/expect_error.h"
#include "util/encoding.h"

namespace model_signing::sigstore {
namespace {

std::string b64url(const std::string& text) { return util::base64url_encode(text); }

std::string jwt(const nlohmann::json& claims) {
  return b64url(R"({"alg":"ES256"})") + "." + b64url(claims.dump()) + ".c2lnbmF0dXJl";
}

const std::time_t kNow = 1'700'000'000;

nlohmann::json claims() {
  return {{"iss", "https://issuer.example"}, {"sub", "subject-1"}, {"aud", "sigstore"},
          {"exp", kNow + 600}, {"iat", kNow - 10}};
}

// Checks `fn` fails with Error(kInvalidArgument) saying `why`.
::testing::AssertionResult invalid(const std::function<void()>& fn, const std::string& why = "",
                                   std::string* message = nullptr) {
  return model_signing::testing::expect_error(fn, ErrorKind::kInvalidArgument, why, message);
}

TEST(IdentityToken, ReadsTheClaimsASignerNeeds) {
  auto c = claims();
  c["email"] = "a@example.com";
  c["aud"] = nlohmann::json::array({"other", "sigstore"});
  IdentityToken token = parse_identity_token(" " + jwt(c) + "\n");
  EXPECT_EQ(token.issuer, "https://issuer.example");
  EXPECT_EQ(token.subject, "subject-1");
  EXPECT_EQ(token.identity(), "a@example.com");
  EXPECT_EQ(token.audiences, (std::vector<std::string>{"other", "sigstore"}));
  EXPECT_EQ(token.expires_at, kNow + 600);
  EXPECT_EQ(token.raw, jwt(c));  // surrounding whitespace is not part of it
  EXPECT_NO_THROW(check_identity_token(token, kNow));
}

TEST(IdentityToken, IdentityIsTheSubjectWithoutAnEmail) {
  EXPECT_EQ(parse_identity_token(jwt(claims())).identity(), "subject-1");
}

TEST(IdentityToken, RejectsExpiredWrongAudienceAndNotYetValid) {
  auto expired = claims();
  expired["exp"] = kNow - 3600;
  EXPECT_TRUE(invalid([&] { check_identity_token(parse_identity_token(jwt(expired)), kNow); },
                      "expired at 2023-11-14T"));
  auto within_leeway = claims();
  within_leeway["exp"] = kNow - 5;
  EXPECT_NO_THROW(check_identity_token(parse_identity_token(jwt(within_leeway)), kNow));

  auto audience = claims();
  audience["aud"] = "not-sigstore";
  EXPECT_TRUE(invalid([&] { check_identity_token(parse_identity_token(jwt(audience)), kNow); },
                      "audience 'not-sigstore'; Sigstore requires 'sigstore'"));

  auto no_exp = claims();
  no_exp.erase("exp");
  EXPECT_TRUE(invalid([&] { check_identity_token(parse_identity_token(jwt(no_exp)), kNow); },
                      "no expiry"));

  auto future = claims();
  future["nbf"] = kNow + 3600;
  EXPECT_TRUE(invalid([&] { check_identity_token(parse_identity_token(jwt(future)), kNow); },
                      "not valid before"));
}

TEST(IdentityToken, MalformedTokensAreNamedWithoutEchoingThem) {
  const std::string secretish = "eyJzZWNyZXQiOiJ0b2tlbiJ9";
  for (const std::string& bad : std::vector<std::string>{secretish, secretish + ".x", "a.b.c.d", "a.!!!.c",
                                 b64url("[]") + "." + b64url("[1]") + ".c"}) {
    std::string message;
    EXPECT_TRUE(invalid([&] { parse_identity_token(bad); },
                        "identity token is malformed", &message));
    EXPECT_EQ(message.find(secretish), std::string::npos) << message;
  }
  auto no_issuer = claims();
  no_issuer.erase("iss");
  EXPECT_TRUE(invalid([&] { parse_identity_token(jwt(no_issuer)); }, "no issuer"));
  auto bad_exp = claims();
  bad_exp["exp"] = "tomorrow";
  EXPECT_TRUE(invalid([&] { parse_identity_token(jwt(bad_exp)); }, "'exp'"));
}

// Times far outside any token's life are refused when read, so the
// expiry arithmetic (with its leeway) cannot overflow.
TEST(IdentityToken, TimeClaimsOutOfRangeAreMalformed) {
  for (const nlohmann::json& value :
       {nlohmann::json(1e300), nlohmann::json(-1e300), nlohmann::json(9223372036854775807LL),
        nlohmann::json(std::numeric_limits<std::int64_t>::min()), nlohmann::json(18446744073709551615ULL),
        nlohmann::json(253402300800LL)}) {
    for (const char* claim : {"exp", "nbf", "iat"}) {
      auto c = claims();
      c[claim] = value;
      EXPECT_TRUE(invalid([&] { parse_identity_token(jwt(c)); }, std::string("'") + claim + "' is out of range"))
          << claim << " = " << value.dump();
    }
  }
  auto last = claims();
  last["exp"] = 253402300799LL;  // 9999-12-31T23:59:59Z
  EXPECT_NO_THROW(check_identity_token(parse_identity_token(jwt(last)), kNow, "sigstore",
                                       std::numeric_limits<std::int64_t>::max()));
  auto first = claims();
  first["nbf"] = -253402300799LL;
  EXPECT_NO_THROW(check_identity_token(parse_identity_token(jwt(first)), kNow, "sigstore",
                                       std::numeric_limits<std::int64_t>::max()));
}

TEST(IdentityToken, ClaimsInMessagesAreEscaped) {
  auto c = claims();
  c["iss"] = "https://issuer\x1b]0;owned\x07";
  c["aud"] = "\x1b[2J";
  std::string message;
  EXPECT_TRUE(invalid([&] { check_identity_token(parse_identity_token(jwt(c)), kNow); }, "has audience",
                      &message));
  EXPECT_NE(message.find("https://issuer\\x1b]0;owned\\x07"), std::string::npos) << message;
  EXPECT_NE(message.find("'\\x1b[2J'"), std::string::npos) << message;
}

}  // namespace
}  // namespace model_signing::sigstore

namespace model_signing::util {
namespace {

TEST(Base64Url, UrlSafeAlphabetWithoutPadding) {
  EXPECT_EQ(base64url_encode(std::string("\xfb\xff\xbf", 3)), "-_-_");
  EXPECT_EQ(base64url_encode("a"), "YQ");
  EXPECT_EQ(base64url_encode(""), "");
}

}  // namespace
}  // namespace model_signing::util
