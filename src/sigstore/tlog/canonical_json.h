// RFC 8785 JSON Canonicalization Scheme: the bytes Rekor signs in a signed
// entry timestamp.
#pragma once

#include <string>

#include <nlohmann/json.hpp>

namespace model_signing::sigstore {

// Object keys sorted by UTF-16 code units, no whitespace, strings escaped as
// ECMAScript's JSON.stringify does, numbers in ECMAScript's shortest form.
// Throws Error(kMalformedBundle) for invalid UTF-8 or non-finite numbers.
std::string canonical_json(const nlohmann::json& value);

}  // namespace model_signing::sigstore
