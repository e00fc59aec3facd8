#include "util/json_util.h"

#include <cmath>
#include <limits>
#include <unordered_set>

#include "model_signing/error.h"
#include "util/encoding.h"

namespace model_signing::json_util {

void fail(const std::string& context, const std::string& what) {
  throw Error(ErrorKind::kMalformedBundle, context + ": " + what);
}

const json* find(const json& object, const char* key) {
  auto it = object.find(key);
  if (it == object.end() || it->is_null()) return nullptr;
  return &*it;
}

const json& require(const json& object, const char* key, const std::string& context) {
  const json* value = find(object, key);
  if (!value) fail(context, std::string("missing field '") + key + "'");
  return *value;
}

std::string get_string(const json& value, const std::string& context) {
  if (!value.is_string()) fail(context, "expected a string");
  return value.get<std::string>();
}

bool get_bool(const json& value, const std::string& context) {
  if (!value.is_boolean()) fail(context, "expected true or false");
  return value.get<bool>();
}

std::int64_t get_int64(const json& value, const std::string& context) {
  if (value.is_number_unsigned() &&
      value.get<std::uint64_t>() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    fail(context, "integer out of range");
  }
  if (value.is_number_integer()) return value.get<std::int64_t>();
  if (value.is_number_float()) {
    double d = value.get<double>();
    if (std::floor(d) == d && std::fabs(d) < 9.0e15) return static_cast<std::int64_t>(d);
    fail(context, "expected an integer");
  }
  if (value.is_string()) {
    const std::string& s = value.get_ref<const std::string&>();
    if (s.empty() || s.size() > 20) fail(context, "expected an integer");
    std::size_t i = s[0] == '-' ? 1 : 0;
    if (i == s.size()) fail(context, "expected an integer");
    for (std::size_t k = i; k < s.size(); ++k) {
      if (s[k] < '0' || s[k] > '9') fail(context, "expected an integer, got '" + util::printable(s) + "'");
    }
    try {
      return std::stoll(s);
    } catch (...) {
      fail(context, "integer out of range");
    }
  }
  fail(context, "expected an integer");
}

std::vector<std::uint8_t> get_bytes(const json& value, const std::string& context) {
  std::string text = get_string(value, context);
  auto bytes = util::base64_decode(text);
  if (!bytes) fail(context, "not valid base64");
  return *bytes;
}

const json& require_object(const json& value, const std::string& context) {
  if (!value.is_object()) fail(context, "expected an object");
  return value;
}

const json& require_array(const json& value, const std::string& context) {
  if (!value.is_array()) fail(context, "expected an array");
  return value;
}

namespace {

// nlohmann's parse errors quote the token they stopped at ("last read:
// '...'"), which for a bundle can be a whole base64 blob or binary garbage:
// keep the start of it, printable.
std::string readable_parse_error(std::string reason) {
  // "[json.exception.parse_error.101] parse error at line 1, column 2: ..."
  if (auto pos = reason.find("] "); pos != std::string::npos) reason = reason.substr(pos + 2);
  const std::string marker = "last read: '";
  constexpr std::size_t kMaxToken = 40;
  if (auto start = reason.find(marker); start != std::string::npos) {
    start += marker.size();
    std::size_t end = reason.find("'; expected", start);
    if (end == std::string::npos) end = reason.rfind('\'');
    if (end != std::string::npos && end > start + kMaxToken) {
      reason.replace(start, end - start, reason.substr(start, kMaxToken) + "...");
    }
  }
  return util::printable(reason);
}

}  // namespace

json parse(std::string_view text, const std::string& what) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) fail(what, "empty document");
  // Duplicate keys are rejected: parsers that keep the first and the last
  // value would otherwise disagree about what a bundle says.
  std::vector<std::unordered_set<std::string>> keys;
  std::string duplicate;
  json::parser_callback_t check_duplicates = [&](int, json::parse_event_t event, json& parsed) {
    switch (event) {
      case json::parse_event_t::object_start:
        keys.emplace_back();
        break;
      case json::parse_event_t::object_end:
        if (!keys.empty()) keys.pop_back();
        break;
      case json::parse_event_t::key:
        if (!keys.empty() && !keys.back().insert(parsed.get<std::string>()).second &&
            duplicate.empty()) {
          duplicate = parsed.get<std::string>();
        }
        break;
      default:
        break;
    }
    return true;
  };
  try {
    json result = json::parse(text.begin(), text.end(), check_duplicates);
    if (!duplicate.empty()) fail(what, "duplicate key '" + util::printable(duplicate) + "'");
    return result;
  } catch (const json::parse_error& e) {
    fail(what, "not valid JSON (" + readable_parse_error(e.what()) + ")");
  }
}

namespace {

void dump_into(const nlohmann::ordered_json& value, std::string& out) {
  if (value.is_object()) {
    out += '{';
    bool first = true;
    for (auto it = value.begin(); it != value.end(); ++it) {
      if (!first) out += ", ";
      first = false;
      out += nlohmann::ordered_json(it.key()).dump(-1, ' ', true);
      out += ": ";
      dump_into(it.value(), out);
    }
    out += '}';
  } else if (value.is_array()) {
    out += '[';
    bool first = true;
    for (const auto& element : value) {
      if (!first) out += ", ";
      first = false;
      dump_into(element, out);
    }
    out += ']';
  } else {
    out += value.dump(-1, ' ', true);
  }
}

}  // namespace

std::string dump_python_style(const nlohmann::ordered_json& value) {
  std::string out;
  dump_into(value, out);
  return out;
}

}  // namespace model_signing::json_util
