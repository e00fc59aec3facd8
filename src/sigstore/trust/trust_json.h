// Reading trust material from protobuf JSON: the pieces the trusted root,
// signing config and client trust config parsers share. Errors are
// Error(kMalformedBundle) from json_util naming the field; the public entry
// points turn them into kInvalidArgument with as_config_error().
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>

#include "model_signing/error.h"
#include "model_signing/sigstore_trust.h"
#include "util/error_context.h"
#include "util/json_util.h"

namespace model_signing::sigstore::trust_json {

using json_util::json;

TimeRange time_range(const json& value, const std::string& context);
TrustedRoot trusted_root(const json& doc, const std::string& context);
SigstoreSigningConfig signing_config(const json& doc, const std::string& context);

// The document's "mediaType", which must be one of `accepted`.
std::string media_type(const json& doc, const std::string& context,
                       std::span<const std::string_view> accepted);

// Runs `parse`, rethrowing parse errors as Error(kInvalidArgument) prefixed
// with `what`; an unreadable file stays an I/O error.
template <typename Fn>
auto as_config_error(const std::string& what, Fn&& parse) -> decltype(parse()) {
  return util::with_error_context({what, ErrorKind::kInvalidArgument, ErrorKind::kIo},
                                  std::forward<Fn>(parse));
}

}  // namespace model_signing::sigstore::trust_json
