// Strict accessors for protobuf-JSON documents: each names the field it
// rejects, so a malformed bundle produces a message a user can act on.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

namespace model_signing::json_util {

using json = nlohmann::json;

// Throws Error(kMalformedBundle) "<context>: <what>".
[[noreturn]] void fail(const std::string& context, const std::string& what);

const json& require(const json& object, const char* key, const std::string& context);
const json* find(const json& object, const char* key);  // nullptr if absent or null

std::string get_string(const json& value, const std::string& context);
bool get_bool(const json& value, const std::string& context);
// Whether `value` is an integral JSON number that an int64 holds (an
// unsigned one above INT64_MAX is not).
bool fits_int64(const json& value);
// int64 as a JSON string (protobuf mapping) or an integral number.
std::int64_t get_int64(const json& value, const std::string& context);
// base64 (standard or URL-safe alphabet).
std::vector<std::uint8_t> get_bytes(const json& value, const std::string& context);
const json& require_object(const json& value, const std::string& context);
const json& require_array(const json& value, const std::string& context);

// Parses JSON text, in time linear in its size. Rejects malformed JSON,
// duplicate keys, nesting deeper than 512 levels and numbers out of range
// with Error(kMalformedBundle) "<what>: ...".
json parse(std::string_view text, const std::string& what);

// Python's json.dumps() layout (", " and ": " separators, one line,
// non-ASCII escaped) for ordered JSON values.
std::string dump_python_style(const nlohmann::ordered_json& value);

}  // namespace model_signing::json_util
