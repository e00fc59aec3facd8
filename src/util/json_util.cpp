#include "util/json_util.h"

#include <cmath>
#include <limits>

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

bool fits_int64(const json& value) {
  if (!value.is_number_integer()) return false;
  return !value.is_number_unsigned() ||
         value.get<std::uint64_t>() <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max());
}

std::int64_t get_int64(const json& value, const std::string& context) {
  if (value.is_number_integer()) {
    if (!fits_int64(value)) fail(context, "integer out of range");
    return value.get<std::int64_t>();
  }
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

namespace {

// Builds the document from nlohmann's SAX events, rejecting a duplicate key
// when it is read (one map lookup per key: linear in the input) and nesting
// deeper than kMaxDepth. Stops at the first problem.
class StrictDomBuilder {
 public:
  using number_integer_t = json::number_integer_t;
  using number_unsigned_t = json::number_unsigned_t;
  using number_float_t = json::number_float_t;
  using string_t = json::string_t;
  using binary_t = json::binary_t;

  explicit StrictDomBuilder(json& root) : root_(root) {}

  bool null() { return value(nullptr); }
  bool boolean(bool v) { return value(v); }
  bool number_integer(number_integer_t v) { return value(v); }
  bool number_unsigned(number_unsigned_t v) { return value(v); }
  bool number_float(number_float_t v, const string_t&) { return value(v); }
  bool string(string_t& v) { return value(std::move(v)); }
  bool binary(binary_t&) { return fail("binary values are not JSON"); }

  bool start_object(std::size_t) { return open(json::value_t::object); }
  bool start_array(std::size_t) { return open(json::value_t::array); }
  bool end_object() { return close(); }
  bool end_array() { return close(); }

  bool key(string_t& name) {
    auto& object = stack_.back()->get_ref<json::object_t&>();
    auto [it, inserted] = object.emplace(std::move(name), nullptr);
    if (!inserted) return fail("duplicate key '" + util::excerpt(it->first) + "'");
    member_ = &it->second;
    return true;
  }

  bool parse_error(std::size_t, const std::string&, const json::exception& e) {
    syntax_error_ = true;
    return fail(e.what());
  }

  const std::string& error() const { return error_; }
  bool syntax_error() const { return syntax_error_; }

 private:
  static constexpr std::size_t kMaxDepth = 512;

  bool fail(std::string why) {
    if (error_.empty()) error_ = std::move(why);
    return false;
  }

  // Places a value in the array or at the member being read; returns it.
  template <typename Value>
  json* place(Value&& v) {
    if (stack_.empty()) {
      root_ = json(std::forward<Value>(v));
      return &root_;
    }
    json& parent = *stack_.back();
    if (parent.is_array()) {
      auto& array = parent.get_ref<json::array_t&>();
      array.emplace_back(std::forward<Value>(v));
      return &array.back();
    }
    *member_ = json(std::forward<Value>(v));
    return member_;
  }

  template <typename Value>
  bool value(Value&& v) {
    place(std::forward<Value>(v));
    return true;
  }

  bool open(json::value_t type) {
    if (stack_.size() >= kMaxDepth) {
      return fail("nested deeper than " + std::to_string(kMaxDepth) + " levels");
    }
    stack_.push_back(place(type));
    return true;
  }

  bool close() {
    stack_.pop_back();
    return true;
  }

  json& root_;
  std::vector<json*> stack_;
  json* member_ = nullptr;
  std::string error_;
  bool syntax_error_ = false;
};

}  // namespace

json parse(std::string_view text, const std::string& what) {
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) fail(what, "empty document");
  // Duplicate keys are rejected: parsers that keep the first and the last
  // value would otherwise disagree about what a bundle says.
  json result;
  StrictDomBuilder builder(result);
  bool ok = false;
  try {
    ok = json::sax_parse(text.begin(), text.end(), &builder);
  } catch (const json::exception& e) {
    // The SAX parser reports through parse_error(); this is a safety net.
    fail(what, "not valid JSON (" + readable_parse_error(e.what()) + ")");
  }
  if (!ok) {
    if (builder.syntax_error()) fail(what, "not valid JSON (" + readable_parse_error(builder.error()) + ")");
    fail(what, builder.error());
  }
  return result;
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
