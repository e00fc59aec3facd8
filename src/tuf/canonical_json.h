// The canonical JSON that TUF metadata is signed over: OLPC canonical JSON
// as securesystemslib's encode_canonical writes it (python-tuf, go-tuf and
// tuf-js agree on it). It is NOT the RFC 8785 form of
// sigstore/canonical_json.h, which Rekor uses: RFC 8785 escapes control
// characters ("\n" in a PEM key becomes the two characters \n) and writes
// floats, while OLPC writes every byte of a string raw except '"' and '\',
// and has no floats at all. Signatures over one form do not verify over the
// other, so TUF needs its own.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace model_signing::tuf {

// Object keys sorted by their UTF-8 bytes (= code points), no whitespace,
// strings with only '"' and '\' escaped, integers in decimal. Throws
// std::invalid_argument for a float (OLPC canonical JSON has none) or
// nesting deeper than `max_depth`.
std::string olpc_canonical_json(const nlohmann::json& value, int max_depth = 64);

}  // namespace model_signing::tuf
