// An OIDC identity token (a JWT) as a Sigstore client sees it: opaque except
// for the claims it must check before using it (audience, expiry) and the
// subject it reports. The signature is Fulcio's to verify.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace model_signing::sigstore {

struct IdentityToken {
  std::string raw;
  std::string issuer;                  // "iss"
  std::vector<std::string> audiences;  // "aud" (a string or a list)
  std::string subject;                 // "sub"
  std::optional<std::string> email;    // "email"
  std::optional<std::int64_t> expires_at;   // "exp"
  std::optional<std::int64_t> issued_at;    // "iat"
  std::optional<std::int64_t> not_before;   // "nbf"
  std::optional<std::string> nonce;         // "nonce"

  // Who the certificate will name: the email when there is one, else the
  // subject.
  const std::string& identity() const { return email ? *email : subject; }
};

inline constexpr std::string_view kSigstoreAudience = "sigstore";

// Decodes the claims without verifying the signature. Throws
// Error(kInvalidArgument) "identity token is malformed: <reason>"; the token
// text never appears in messages.
IdentityToken parse_identity_token(std::string_view jwt);

// Checks what Fulcio would reject, so the user gets the reason: the audience
// must include `audience`, the token must not be expired (exp required) or
// not yet valid. `leeway` seconds absorb clock skew. Throws
// Error(kInvalidArgument).
void check_identity_token(const IdentityToken& token, std::time_t now,
                          std::string_view audience = kSigstoreAudience, std::int64_t leeway = 30);

}  // namespace model_signing::sigstore
