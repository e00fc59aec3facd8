#include "sigstore/oidc/identity_token.h"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "model_signing/error.h"
#include "util/encoding.h"

namespace model_signing::sigstore {

namespace {

[[noreturn]] void malformed(const std::string& why) {
  throw Error(ErrorKind::kInvalidArgument, "identity token is malformed: " + why);
}

// Times in seconds since 1970 up to the year 9999: beyond that no token
// is meant, and within it the leeway arithmetic cannot overflow.
constexpr std::int64_t kMaxClaimTime = 253402300799;

std::optional<std::int64_t> numeric_claim(const nlohmann::json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || it->is_null()) return std::nullopt;
  auto out_of_range = [&] { malformed(std::string("claim '") + name + "' is out of range"); };
  if (it->is_number_unsigned()) {
    if (it->get<std::uint64_t>() > static_cast<std::uint64_t>(kMaxClaimTime)) out_of_range();
    return static_cast<std::int64_t>(it->get<std::uint64_t>());
  }
  if (it->is_number_integer()) {
    std::int64_t value = it->get<std::int64_t>();
    if (value < -kMaxClaimTime || value > kMaxClaimTime) out_of_range();
    return value;
  }
  if (it->is_number_float()) {
    double value = it->get<double>();
    // NaN fails both comparisons.
    if (!(value >= -static_cast<double>(kMaxClaimTime) && value <= static_cast<double>(kMaxClaimTime))) {
      out_of_range();
    }
    return static_cast<std::int64_t>(value);
  }
  malformed(std::string("claim '") + name + "' is not a number");
}

std::optional<std::string> string_claim(const nlohmann::json& claims, const char* name) {
  auto it = claims.find(name);
  if (it == claims.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) malformed(std::string("claim '") + name + "' is not a string");
  return it->get<std::string>();
}

std::string utc(std::int64_t t) {
  std::time_t time = static_cast<std::time_t>(t);
  std::tm tm{};
  gmtime_r(&time, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

}  // namespace

IdentityToken parse_identity_token(std::string_view jwt) {
  // Surrounding whitespace (a token file's trailing newline) is not part of it.
  auto first = jwt.find_first_not_of(" \t\r\n");
  if (first == std::string_view::npos) malformed("it is empty");
  jwt = jwt.substr(first, jwt.find_last_not_of(" \t\r\n") - first + 1);

  auto dot1 = jwt.find('.');
  auto dot2 = dot1 == std::string_view::npos ? dot1 : jwt.find('.', dot1 + 1);
  if (dot2 == std::string_view::npos || jwt.find('.', dot2 + 1) != std::string_view::npos) {
    malformed("expected three dot-separated parts (a JWT)");
  }
  auto payload = util::base64_decode(jwt.substr(dot1 + 1, dot2 - dot1 - 1));
  if (!payload) malformed("the payload is not base64url");
  auto claims = nlohmann::json::parse(payload->begin(), payload->end(), nullptr, false);
  if (!claims.is_object()) malformed("the payload is not a JSON object");

  IdentityToken token;
  token.raw = std::string(jwt);
  token.issuer = string_claim(claims, "iss").value_or("");
  if (token.issuer.empty()) malformed("it has no issuer ('iss')");
  token.subject = string_claim(claims, "sub").value_or("");
  token.email = string_claim(claims, "email");
  token.nonce = string_claim(claims, "nonce");
  auto aud = claims.find("aud");
  if (aud != claims.end() && aud->is_string()) {
    token.audiences.push_back(aud->get<std::string>());
  } else if (aud != claims.end() && aud->is_array()) {
    for (const auto& a : *aud) {
      if (!a.is_string()) malformed("claim 'aud' holds a non-string");
      token.audiences.push_back(a.get<std::string>());
    }
  } else if (aud != claims.end() && !aud->is_null()) {
    malformed("claim 'aud' is neither a string nor a list");
  }
  token.expires_at = numeric_claim(claims, "exp");
  token.issued_at = numeric_claim(claims, "iat");
  token.not_before = numeric_claim(claims, "nbf");
  if (token.subject.empty() && !token.email) malformed("it has neither 'sub' nor 'email'");
  return token;
}

void check_identity_token(const IdentityToken& token, std::time_t now, std::string_view audience,
                          std::int64_t leeway) {
  if (std::find(token.audiences.begin(), token.audiences.end(), audience) ==
      token.audiences.end()) {
    std::string got;
    for (const auto& a : token.audiences) got += (got.empty() ? "'" : ", '") + util::excerpt(a, 80) + "'";
    throw Error(ErrorKind::kInvalidArgument,
                "identity token from " + util::excerpt(token.issuer) + " has audience " +
                    (got.empty() ? "(none)" : got) + "; Sigstore requires '" +
                    std::string(audience) + "'");
  }
  if (!token.expires_at) {
    throw Error(ErrorKind::kInvalidArgument,
                "identity token from " + util::excerpt(token.issuer) + " has no expiry ('exp')");
  }
  // Claims are within +-kMaxClaimTime; the leeway is clamped alike.
  leeway = std::clamp<std::int64_t>(leeway, 0, kMaxClaimTime);
  if (*token.expires_at + leeway < now) {
    throw Error(ErrorKind::kInvalidArgument, "identity token from " + util::excerpt(token.issuer) +
                                                 " expired at " + utc(*token.expires_at) +
                                                 "; get a fresh one");
  }
  if (token.not_before && *token.not_before - leeway > static_cast<std::int64_t>(now)) {
    throw Error(ErrorKind::kInvalidArgument, "identity token from " + util::excerpt(token.issuer) +
                                                 " is not valid before " + utc(*token.not_before));
  }
}

}  // namespace model_signing::sigstore
