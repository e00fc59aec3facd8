#include "tuf/canonical_json.h"

#include <stdexcept>

namespace model_signing::tuf {

namespace {

void write_string(const std::string& text, std::string& out) {
  out += '"';
  for (char c : text) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  out += '"';
}

void write(const nlohmann::json& value, int depth_left, std::string& out) {
  if (depth_left < 0) throw std::invalid_argument("nested too deeply");
  switch (value.type()) {
    case nlohmann::json::value_t::null:
      out += "null";
      return;
    case nlohmann::json::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case nlohmann::json::value_t::number_integer:
      out += std::to_string(value.get<std::int64_t>());
      return;
    case nlohmann::json::value_t::number_unsigned:
      out += std::to_string(value.get<std::uint64_t>());
      return;
    case nlohmann::json::value_t::string:
      write_string(value.get_ref<const std::string&>(), out);
      return;
    case nlohmann::json::value_t::array: {
      out += '[';
      bool first = true;
      for (const auto& item : value) {
        if (!first) out += ',';
        first = false;
        write(item, depth_left - 1, out);
      }
      out += ']';
      return;
    }
    case nlohmann::json::value_t::object: {
      // nlohmann::json keeps objects in a std::map<std::string, ...>, whose
      // order is that of the keys' bytes.
      out += '{';
      bool first = true;
      for (const auto& [key, item] : value.items()) {
        if (!first) out += ',';
        first = false;
        write_string(key, out);
        out += ':';
        write(item, depth_left - 1, out);
      }
      out += '}';
      return;
    }
    case nlohmann::json::value_t::number_float:
      throw std::invalid_argument("a floating-point number (canonical JSON has none)");
    case nlohmann::json::value_t::binary:
    case nlohmann::json::value_t::discarded:
      break;
  }
  throw std::invalid_argument("a value JSON cannot hold");
}

}  // namespace

std::string olpc_canonical_json(const nlohmann::json& value, int max_depth) {
  std::string out;
  write(value, max_depth, out);
  return out;
}

}  // namespace model_signing::tuf
