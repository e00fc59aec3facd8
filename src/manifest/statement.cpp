// The in-toto statement that carries a model manifest, both directions.
#include <cmath>
#include <set>

#include "hash/hash_registry.h"
#include "manifest/resource_path.h"
#include "model_signing/bundle.h"
#include "model_signing/error.h"
#include "model_signing/manifest.h"
#include "util/encoding.h"
#include "util/json_util.h"

namespace model_signing {

namespace {

using json_util::json;
using ojson = nlohmann::ordered_json;

constexpr std::string_view kStatementType = "https://in-toto.io/Statement/v1";
constexpr std::string_view kPredicateType = "https://model_signing/signature/v1.0";
constexpr std::string_view kLegacyPredicateType = "https://model_signing/Digests/v0.1";

[[noreturn]] void bad(const std::string& what) {
  throw Error(ErrorKind::kMalformedBundle, "signed statement: " + what);
}

Digest parse_hex_digest(const json& value, const std::string& context, std::size_t size) {
  std::string hex = json_util::get_string(value, context);
  auto bytes = util::from_hex(hex);
  if (!bytes) bad(context + " is not a hex digest");
  if (bytes->size() != size) {
    bad(context + " has " + std::to_string(bytes->size()) + " bytes, expected " +
        std::to_string(size));
  }
  return *bytes;
}

// Names must be relative paths inside the model; "." is upstream's name for
// a single-file model. `what` names the field in messages.
void check_resource_path(const std::string& path, const char* what = "resource name") {
  if (path == ".") return;
  if (auto problem = resource_path_problem(path)) {
    bad(std::string(what) + " '" + util::excerpt(path, 256) + "' " + std::string(*problem));
  }
}

SerializationSpec parse_serialization_block(const json& predicate) {
  const json& ser = json_util::require_object(
      json_util::require(predicate, "serialization", "predicate"), "predicate.serialization");
  SerializationSpec spec;
  const std::string ctx = "predicate.serialization";
  try {
    spec.method = parse_serialization(
        json_util::get_string(json_util::require(ser, "method", ctx), ctx + ".method"));
    spec.hash = parse_hash_algorithm(
        json_util::get_string(json_util::require(ser, "hash_type", ctx), ctx + ".hash_type"));
  } catch (const Error& e) {
    if (e.kind() != ErrorKind::kInvalidArgument) throw;
    bad(e.what());
  }
  if (const json* allow = json_util::find(ser, "allow_symlinks")) {
    spec.allow_symlinks = json_util::get_bool(*allow, ctx + ".allow_symlinks");
  }
  if (spec.method == Serialization::kShards) {
    const json& size = json_util::require(ser, "shard_size", ctx);
    // Upstream writes a float (1000000000.0) through a protobuf Struct.
    std::int64_t value = json_util::get_int64(size, ctx + ".shard_size");
    if (value <= 0) bad("shard_size must be positive");
    spec.shard_size = static_cast<std::uint64_t>(value);
  }
  if (const json* ignore = json_util::find(ser, "ignore_paths")) {
    json_util::require_array(*ignore, ctx + ".ignore_paths");
    for (const auto& p : *ignore) {
      std::string path = json_util::get_string(p, ctx + ".ignore_paths[]");
      // Trailing '/' (".git/") and "./" prefixes name the same path.
      while (path.size() > 1 && path.back() == '/') path.pop_back();
      while (path.rfind("./", 0) == 0) path.erase(0, 2);
      if (path.empty() || path == ".") continue;
      check_resource_path(path, "ignore path");
      spec.ignore_paths.push_back(path);
    }
  }
  return spec;
}

Manifest parse_v1_statement(const json& doc) {
  const json& subjects = json_util::require_array(json_util::require(doc, "subject", "statement"), "subject");
  if (subjects.size() != 1) {
    bad("expected exactly one subject, got " + std::to_string(subjects.size()));
  }
  const json& subject = json_util::require_object(subjects[0], "subject[0]");
  std::string model_name = json_util::get_string(json_util::require(subject, "name", "subject[0]"),
                                                 "subject[0].name");
  const json& digests = json_util::require_object(
      json_util::require(subject, "digest", "subject[0]"), "subject[0].digest");
  Digest root = parse_hex_digest(json_util::require(digests, "sha256", "subject[0].digest"),
                                 "subject[0].digest.sha256", 32);

  const json& predicate =
      json_util::require_object(json_util::require(doc, "predicate", "statement"), "predicate");
  SerializationSpec spec = parse_serialization_block(predicate);
  const json& resources = json_util::require_array(
      json_util::require(predicate, "resources", "predicate"), "predicate.resources");
  // OMS 5.2.1: at least one resource. An empty list would verify any model
  // (or none) under --ignore-unsigned-files.
  if (resources.empty()) bad("no resources: predicate.resources is empty (a signature lists at least one file)");

  const bool shards = spec.method == Serialization::kShards;
  const std::string bare = std::string(to_string(spec.hash));
  const std::string sharded = spec.resource_algorithm();
  std::set<std::string> seen;
  std::vector<ManifestItem> items;
  items.reserve(resources.size());
  for (std::size_t i = 0; i < resources.size(); ++i) {
    std::string ctx = "predicate.resources[" + std::to_string(i) + "]";
    const json& r = json_util::require_object(resources[i], ctx);
    std::string name = json_util::get_string(json_util::require(r, "name", ctx), ctx + ".name");
    std::string algorithm =
        json_util::get_string(json_util::require(r, "algorithm", ctx), ctx + ".algorithm");
    const hash::HashInfo* named = hash::find_hash(algorithm);  // its name or an alias
    bool algorithm_ok = (named && named->algorithm == spec.hash) || (shards && algorithm == sharded);
    if (!algorithm_ok) {
      bad(ctx + ".algorithm '" + util::excerpt(algorithm) + "' does not match hash_type '" + bare + "'");
    }
    ManifestItem item = parse_resource_name(name, shards);
    check_resource_path(item.path);
    if (shards) {
      if (*item.start % spec.shard_size != 0 || *item.end - *item.start > spec.shard_size) {
        bad("shard '" + util::excerpt(name, 256) + "' does not match shard_size " + std::to_string(spec.shard_size));
      }
    }
    if (!seen.insert(name).second) bad("duplicate resource name '" + util::excerpt(name, 256) + "'");
    item.digest = parse_hex_digest(json_util::require(r, "digest", ctx), ctx + ".digest",
                                   digest_size(spec.hash));
    items.push_back(std::move(item));
  }
  Manifest manifest(model_name, spec, std::move(items));
  Digest actual = manifest.root_digest();
  if (actual != root) {
    bad("manifest is inconsistent: root digest is " + util::to_hex(root) +
        ", but the listed resources hash to " + util::to_hex(actual));
  }
  return manifest;
}

// model_signing v0.2.0: one subject per file, sha256 only.
Manifest parse_legacy_statement(const json& doc) {
  const json& subjects = json_util::require_array(json_util::require(doc, "subject", "statement"), "subject");
  if (subjects.empty()) bad("no resources: subject is empty (a signature lists at least one file)");
  std::set<std::string> seen;
  std::vector<ManifestItem> items;
  for (std::size_t i = 0; i < subjects.size(); ++i) {
    std::string ctx = "subject[" + std::to_string(i) + "]";
    const json& s = json_util::require_object(subjects[i], ctx);
    ManifestItem item;
    item.path = json_util::get_string(json_util::require(s, "name", ctx), ctx + ".name");
    check_resource_path(item.path);
    if (!seen.insert(item.path).second) bad("duplicate subject name '" + util::excerpt(item.path, 256) + "'");
    const json& digest = json_util::require_object(json_util::require(s, "digest", ctx), ctx + ".digest");
    item.digest = parse_hex_digest(json_util::require(digest, "sha256", ctx + ".digest"),
                                   ctx + ".digest.sha256", 32);
    items.push_back(std::move(item));
  }
  SerializationSpec spec;  // files / sha256
  return Manifest("", spec, std::move(items));
}

// JSON text must be UTF-8: name the offending string rather than let the
// JSON writer fail with its own message.
void require_utf8(const std::string& text, const char* what, ErrorKind kind) {
  if (!util::is_valid_utf8(text)) {
    throw Error(kind, std::string(what) + " is not valid UTF-8: " + util::excerpt(text, 256));
  }
}

}  // namespace

std::string statement_json(const Manifest& manifest) {
  const SerializationSpec& spec = manifest.serialization();
  require_utf8(manifest.model_name(), "model name", ErrorKind::kModelLayout);
  for (const auto& path : spec.ignore_paths) require_utf8(path, "ignore path", ErrorKind::kInvalidArgument);
  for (const auto& item : manifest.items()) require_utf8(item.path, "file name", ErrorKind::kModelLayout);
  ojson serialization;
  serialization["method"] = std::string(to_string(spec.method));
  serialization["hash_type"] = std::string(to_string(spec.hash));
  serialization["allow_symlinks"] = spec.allow_symlinks;
  if (spec.method == Serialization::kShards) serialization["shard_size"] = spec.shard_size;
  if (!spec.ignore_paths.empty()) serialization["ignore_paths"] = spec.ignore_paths;

  const std::string algorithm = spec.resource_algorithm();
  ojson resources = ojson::array();
  for (const auto& item : manifest.items()) {
    ojson r;
    r["algorithm"] = algorithm;
    r["digest"] = util::to_hex(item.digest);
    r["name"] = item.resource_name();
    resources.push_back(std::move(r));
  }

  ojson statement;
  statement["_type"] = std::string(kStatementType);
  statement["subject"] = ojson::array(
      {{{"name", manifest.model_name()}, {"digest", {{"sha256", util::to_hex(manifest.root_digest())}}}}});
  statement["predicateType"] = std::string(kPredicateType);
  statement["predicate"] = {{"serialization", std::move(serialization)},
                            {"resources", std::move(resources)}};
  return statement.dump(2);
}

Manifest manifest_from_statement(const std::string& payload_type, const std::string& payload) {
  if (payload_type != kInTotoPayloadType) {
    bad("unexpected DSSE payload type '" + util::excerpt(payload_type) + "' (expected " +
        std::string(kInTotoPayloadType) + ")");
  }
  json doc = json_util::parse(payload, "signed statement");
  if (!doc.is_object()) bad("expected a JSON object");
  std::string type = json_util::get_string(json_util::require(doc, "_type", "statement"), "_type");
  if (type != kStatementType) {
    bad("unexpected _type '" + util::excerpt(type) + "' (expected " + std::string(kStatementType) + ")");
  }
  std::string predicate_type =
      json_util::get_string(json_util::require(doc, "predicateType", "statement"), "predicateType");
  if (predicate_type == kPredicateType) return parse_v1_statement(doc);
  if (predicate_type == kLegacyPredicateType) return parse_legacy_statement(doc);
  bad("unsupported predicate type '" + util::excerpt(predicate_type) + "' (expected " +
      std::string(kPredicateType) + ")");
}

}  // namespace model_signing
