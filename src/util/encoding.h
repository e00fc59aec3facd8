// Hex and base64 codecs used by the bundle format.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace model_signing::util {

std::string to_hex(const std::uint8_t* data, std::size_t size);
inline std::string to_hex(const std::vector<std::uint8_t>& bytes) {
  return to_hex(bytes.data(), bytes.size());
}
// Lower- or upper-case hex; nullopt on odd length or a non-hex character.
std::optional<std::vector<std::uint8_t>> from_hex(std::string_view hex);

// Standard base64 with padding.
std::string base64_encode(const std::uint8_t* data, std::size_t size);
inline std::string base64_encode(const std::vector<std::uint8_t>& bytes) {
  return base64_encode(bytes.data(), bytes.size());
}
inline std::string base64_encode(std::string_view bytes) {
  return base64_encode(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size());
}
// The URL-safe alphabet without padding (JWTs, PKCE).
std::string base64url_encode(std::string_view bytes);

// Accepts the standard and URL-safe alphabets, with or without padding (the
// protobuf JSON mapping allows both). Whitespace is rejected. nullopt on error.
std::optional<std::vector<std::uint8_t>> base64_decode(std::string_view text);

// True if `text` is well-formed UTF-8 (no overlongs, surrogates or values
// above U+10FFFF).
bool is_valid_utf8(std::string_view text);

// `text` made safe for a one-line message: control characters, and every
// byte >= 0x80 when the text is not valid UTF-8, become \xNN; the C1
// controls and bidirectional overrides a terminal would act on become
// \u{XXXX}. Applying it twice changes nothing more.
std::string printable(std::string_view text);

// printable() of at most the first `max_bytes` of `text`, marked as cut
// ("... (N bytes)") when longer: for quoting untrusted fields in messages.
std::string excerpt(std::string_view text, std::size_t max_bytes = 120);

// Percent-encoding of every byte but ALPHA / DIGIT / "-" / "." / "_" / "~"
// (RFC 3986 unreserved): form values, URL path segments, file names.
std::string url_encode(std::string_view text);

}  // namespace model_signing::util
