// Reading trust material from protobuf JSON: the pieces the trusted root,
// signing config and client trust config parsers share. Errors are
// Error(kMalformedBundle) from json_util naming the field; the public entry
// points turn them into kInvalidArgument with as_config_error().
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "bundle/json_util.h"
#include "model_signing/error.h"
#include "model_signing/sigstore_trust.h"

namespace model_signing::sigstore::trust_json {

using json_util::json;

TimeRange time_range(const json& value, const std::string& context);
TrustedRoot trusted_root(const json& doc, const std::string& context);
SigningConfig signing_config(const json& doc, const std::string& context);

// The document's "mediaType", which must be one of `accepted`.
std::string media_type(const json& doc, const std::string& context,
                       std::span<const std::string_view> accepted);

// Runs `parse`, rethrowing parse errors as Error(kInvalidArgument) prefixed
// with `what`.
template <typename Fn>
auto as_config_error(const std::string& what, Fn&& parse) -> decltype(parse()) {
  try {
    return parse();
  } catch (const Error& e) {
    if (e.kind() == ErrorKind::kIo) throw;
    throw Error(ErrorKind::kInvalidArgument, what + ": " + e.what());
  }
}

}  // namespace model_signing::sigstore::trust_json
