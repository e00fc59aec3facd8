#include "tuf/metadata.h"

#include <openssl/evp.h>

#include <set>
#include <stdexcept>

#include "model_signing/sigstore_trust.h"
#include "tuf/canonical_json.h"
#include "tuf/tuf_error.h"
#include "util/encoding.h"

namespace model_signing::tuf {

namespace {

using nlohmann::json;

// A structural problem at a JSON path; the parser entry points turn it into
// a TufError naming the file.
struct Bad : std::invalid_argument {
  using std::invalid_argument::invalid_argument;
};

std::string shown(std::string_view text) {
  std::string out = util::printable(text);
  if (out.size() > 80) out = out.substr(0, 77) + "...";
  return out;
}

const json& member(const json& object, const char* name, const std::string& where) {
  auto it = object.find(name);
  if (it == object.end()) throw Bad(where + "." + name + " is missing");
  return *it;
}

const json& object_at(const json& value, const std::string& where) {
  if (!value.is_object()) throw Bad(where + " is not an object");
  return value;
}

const std::string& string_at(const json& value, const std::string& where) {
  if (!value.is_string()) throw Bad(where + " is not a string");
  return value.get_ref<const std::string&>();
}

std::uint64_t integer_at(const json& value, const std::string& where, std::uint64_t minimum) {
  if (value.is_number_unsigned()) {
    auto n = value.get<std::uint64_t>();
    if (n >= minimum) return n;
  } else if (value.is_number_integer()) {
    auto n = value.get<std::int64_t>();
    if (n >= 0 && static_cast<std::uint64_t>(n) >= minimum) return static_cast<std::uint64_t>(n);
  }
  throw Bad(where + (minimum > 0 ? " is not a positive integer" : " is not a non-negative integer"));
}

bool bool_at(const json& value, const std::string& where) {
  if (!value.is_boolean()) throw Bad(where + " is not a boolean");
  return value.get<bool>();
}

std::vector<std::string> strings_at(const json& value, const std::string& where, bool unique) {
  if (!value.is_array()) throw Bad(where + " is not an array");
  std::vector<std::string> out;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < value.size(); ++i) {
    const std::string& s = string_at(value[i], where + "[" + std::to_string(i) + "]");
    if (unique && !seen.insert(s).second) throw Bad(where + " lists " + shown(s) + " twice");
    out.push_back(s);
  }
  return out;
}

std::map<std::string, std::string> hashes_at(const json& value, const std::string& where) {
  object_at(value, where);
  if (value.empty()) throw Bad(where + " is empty");
  std::map<std::string, std::string> out;
  for (const auto& [algorithm, digest] : value.items()) {
    out[algorithm] = string_at(digest, where + "." + shown(algorithm));
  }
  return out;
}

RoleKeys role_keys_at(const json& value, const std::string& where) {
  object_at(value, where);
  RoleKeys role;
  role.keyids = strings_at(member(value, "keyids", where), where + ".keyids", true);
  role.threshold = integer_at(member(value, "threshold", where), where + ".threshold", 1);
  return role;
}

KeyMap keys_at(const json& value, const std::string& where) {
  object_at(value, where);
  KeyMap keys;
  for (const auto& [keyid, key] : value.items()) {
    try {
      keys.emplace(keyid, parse_key(key));
    } catch (const std::invalid_argument& e) {
      throw Bad(where + "." + shown(keyid) + ": " + e.what());
    }
  }
  return keys;
}

MetaFile metafile_at(const json& value, const std::string& where) {
  object_at(value, where);
  MetaFile meta;
  meta.version = integer_at(member(value, "version", where), where + ".version", 1);
  if (auto it = value.find("length"); it != value.end()) {
    meta.length = integer_at(*it, where + ".length", 0);
  }
  if (auto it = value.find("hashes"); it != value.end()) meta.hashes = hashes_at(*it, where + ".hashes");
  return meta;
}

bool is_top_level_role(std::string_view name) {
  return name == "root" || name == "timestamp" || name == "snapshot" || name == "targets";
}

// "1", "1.0", "1.0.31": numeric parts, major version 1.
bool supported_spec_version(const std::string& text) {
  std::size_t parts = 0, start = 0;
  while (true) {
    std::size_t end = text.find('.', start);
    std::string part = text.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (part.empty() || part.size() > 9 || part.find_first_not_of("0123456789") != std::string::npos) {
      return false;
    }
    if (parts == 0 && part != "1") return false;
    ++parts;
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return parts >= 2 && parts <= 3;
}

// Parses the envelope and the common fields; returns "signed".
const json& parse_common(const json& doc, const char* type, Common& out) {
  object_at(doc, "the document");
  const json& signed_part = object_at(member(doc, "signed", "the document"), "signed");
  const json& signatures = member(doc, "signatures", "the document");
  if (!signatures.is_array()) throw Bad("signatures is not an array");
  for (std::size_t i = 0; i < signatures.size(); ++i) {
    std::string where = "signatures[" + std::to_string(i) + "]";
    object_at(signatures[i], where);
    out.signatures.push_back({string_at(member(signatures[i], "keyid", where), where + ".keyid"),
                              string_at(member(signatures[i], "sig", where), where + ".sig")});
  }
  try {
    out.canonical_signed = olpc_canonical_json(signed_part);
  } catch (const std::invalid_argument& e) {
    throw Bad(std::string("signed holds ") + e.what());
  }
  const std::string& actual_type = string_at(member(signed_part, "_type", "signed"), "signed._type");
  if (actual_type != type) {
    throw Bad("signed._type is \"" + shown(actual_type) + "\", not \"" + type + "\"");
  }
  out.spec_version = string_at(member(signed_part, "spec_version", "signed"), "signed.spec_version");
  if (!supported_spec_version(out.spec_version)) {
    throw Bad("spec_version \"" + shown(out.spec_version) + "\" is not a supported version (1.x)");
  }
  out.version = integer_at(member(signed_part, "version", "signed"), "signed.version", 1);
  const std::string& expires = string_at(member(signed_part, "expires", "signed"), "signed.expires");
  auto when = parse_expires(expires);
  if (!when) throw Bad("signed.expires \"" + shown(expires) + "\" is not YYYY-MM-DDTHH:MM:SSZ");
  out.expires = *when;
  return signed_part;
}

template <typename Parse>
auto parse_document(std::string_view bytes, const std::string& file, Parse parse) {
  json doc = json::parse(bytes.begin(), bytes.end(), nullptr, false);
  if (doc.is_discarded()) fail(FailureReason::kMalformed, file, "not valid JSON");
  try {
    return parse(doc);
  } catch (const Bad& e) {
    fail(FailureReason::kMalformed, file, e.what());
  } catch (const json::exception& e) {
    // Not expected (every access is checked first); still fails closed.
    fail(FailureReason::kMalformed, file, std::string("unexpected JSON structure: ") + e.what());
  }
}

std::string lower_hex_digest(const EVP_MD* md, std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out, &len, md, nullptr) != 1) return "";
  return util::to_hex(out, len);
}

const EVP_MD* digest_for(const std::string& algorithm) {
  if (algorithm == "sha256") return EVP_sha256();
  if (algorithm == "sha512") return EVP_sha512();
  if (algorithm == "sha384") return EVP_sha384();
  if (algorithm == "sha224") return EVP_sha224();
  return nullptr;
}

}  // namespace

Root parse_root(std::string_view bytes, const std::string& file) {
  return parse_document(bytes, file, [](const json& doc) {
    Root root;
    const json& s = parse_common(doc, "root", root);
    if (auto it = s.find("consistent_snapshot"); it != s.end()) {
      root.consistent_snapshot = bool_at(*it, "signed.consistent_snapshot");
    }
    root.keys = keys_at(member(s, "keys", "signed"), "signed.keys");
    const json& roles = object_at(member(s, "roles", "signed"), "signed.roles");
    for (const char* name : {"root", "timestamp", "snapshot", "targets"}) {
      root.roles[name] = role_keys_at(member(roles, name, "signed.roles"),
                                      std::string("signed.roles.") + name);
    }
    return root;
  });
}

Timestamp parse_timestamp(std::string_view bytes, const std::string& file) {
  return parse_document(bytes, file, [](const json& doc) {
    Timestamp timestamp;
    const json& s = parse_common(doc, "timestamp", timestamp);
    const json& meta = object_at(member(s, "meta", "signed"), "signed.meta");
    timestamp.snapshot_meta =
        metafile_at(member(meta, "snapshot.json", "signed.meta"), "signed.meta.snapshot.json");
    return timestamp;
  });
}

Snapshot parse_snapshot(std::string_view bytes, const std::string& file) {
  return parse_document(bytes, file, [](const json& doc) {
    Snapshot snapshot;
    const json& s = parse_common(doc, "snapshot", snapshot);
    const json& meta = object_at(member(s, "meta", "signed"), "signed.meta");
    for (const auto& [name, value] : meta.items()) {
      snapshot.meta[name] = metafile_at(value, "signed.meta." + shown(name));
    }
    return snapshot;
  });
}

Targets parse_targets(std::string_view bytes, const std::string& file) {
  return parse_document(bytes, file, [](const json& doc) {
    Targets targets;
    const json& s = parse_common(doc, "targets", targets);
    const json& files = object_at(member(s, "targets", "signed"), "signed.targets");
    for (const auto& [path, value] : files.items()) {
      std::string where = "signed.targets." + shown(path);
      object_at(value, where);
      TargetFile target;
      target.length = integer_at(member(value, "length", where), where + ".length", 0);
      target.hashes = hashes_at(member(value, "hashes", where), where + ".hashes");
      if (auto it = value.find("custom"); it != value.end()) target.custom_json = it->dump();
      targets.targets.emplace(path, std::move(target));
    }
    auto it = s.find("delegations");
    if (it == s.end()) return targets;
    const json& d = object_at(*it, "signed.delegations");
    Delegations delegations;
    delegations.keys = keys_at(member(d, "keys", "signed.delegations"), "signed.delegations.keys");
    auto roles = d.find("roles");
    if (roles == d.end()) {
      if (d.contains("succinct_roles")) {
        throw Bad("signed.delegations uses succinct_roles, which this client does not support");
      }
      throw Bad("signed.delegations.roles is missing");
    }
    if (!roles->is_array()) throw Bad("signed.delegations.roles is not an array");
    std::set<std::string> names;
    for (std::size_t i = 0; i < roles->size(); ++i) {
      std::string where = "signed.delegations.roles[" + std::to_string(i) + "]";
      const json& r = object_at((*roles)[i], where);
      DelegatedRole role;
      role.name = string_at(member(r, "name", where), where + ".name");
      if (role.name.empty() || is_top_level_role(role.name)) {
        throw Bad(where + ".name \"" + shown(role.name) + "\" is not a valid delegated role name");
      }
      if (!names.insert(role.name).second) {
        throw Bad("signed.delegations delegates to \"" + shown(role.name) + "\" twice");
      }
      role.keys = role_keys_at(r, where);
      role.terminating = bool_at(member(r, "terminating", where), where + ".terminating");
      bool has_paths = r.contains("paths"), has_prefixes = r.contains("path_hash_prefixes");
      if (has_paths && has_prefixes) throw Bad(where + " has both paths and path_hash_prefixes");
      if (has_paths) role.paths = strings_at(r["paths"], where + ".paths", false);
      if (has_prefixes) {
        role.path_hash_prefixes =
            strings_at(r["path_hash_prefixes"], where + ".path_hash_prefixes", false);
      }
      delegations.roles.push_back(std::move(role));
    }
    targets.delegations = std::move(delegations);
    return targets;
  });
}

// Keyids are not recomputed from the key objects: python-tuf does not
// either, and repositories add fields to key objects (Sigstore's
// "x-tuf-on-ci-keyowner") without changing their keyids. What the spec's
// keyid rule protects, that one key counts once, is enforced by counting
// distinct key material instead.
std::size_t count_valid_signatures(const Common& metadata, const KeyMap& keys, const RoleKeys& role) {
  std::set<std::string> signers;  // key identities, not keyids
  for (const auto& keyid : role.keyids) {
    auto key = keys.find(keyid);
    if (key == keys.end() || !key->second.usable() || signers.count(key->second.identity)) continue;
    for (const auto& signature : metadata.signatures) {
      if (signature.keyid == keyid &&
          verify_signature(key->second, metadata.canonical_signed, signature.sig)) {
        signers.insert(key->second.identity);
        break;
      }
    }
  }
  return signers.size();
}

void require_threshold(const Common& metadata, const KeyMap& keys, const RoleKeys& role,
                       const std::string& file, const std::string& role_description) {
  std::size_t valid = count_valid_signatures(metadata, keys, role);
  if (valid < role.threshold) {
    fail(FailureReason::kSignature, file,
         "signed by " + std::to_string(valid) + " of the " + std::to_string(role.threshold) +
             " required keys of " + role_description);
  }
}

bool matches_hashes(std::string_view bytes, const std::map<std::string, std::string>& hashes) {
  for (const auto& [algorithm, expected] : hashes) {
    const EVP_MD* md = digest_for(algorithm);
    if (!md || lower_hex_digest(md, bytes) != expected) return false;
  }
  return true;
}

void verify_length_and_hashes(std::string_view bytes, std::optional<std::uint64_t> length,
                              const std::map<std::string, std::string>& hashes,
                              const std::string& subject, const std::string& referrer) {
  if (length && bytes.size() != *length) {
    fail(FailureReason::kMismatch, subject,
         std::to_string(bytes.size()) + " bytes, but " + referrer + " lists " +
             std::to_string(*length));
  }
  for (const auto& [algorithm, expected] : hashes) {
    const EVP_MD* md = digest_for(algorithm);
    if (!md) {
      fail(FailureReason::kMismatch, subject,
           referrer + " lists a hash of unsupported algorithm \"" + shown(algorithm) + "\"");
    }
    if (lower_hex_digest(md, bytes) != expected) {
      fail(FailureReason::kMismatch, subject, "its " + algorithm + " hash differs from the one " +
                                                  referrer + " lists");
    }
  }
}

std::optional<Seconds> parse_expires(std::string_view text) {
  // YYYY-MM-DDTHH:MM:SSZ
  static constexpr std::string_view shape = "dddd-dd-ddTdd:dd:ddZ";
  if (text.size() != shape.size()) return std::nullopt;
  for (std::size_t i = 0; i < shape.size(); ++i) {
    bool digit = text[i] >= '0' && text[i] <= '9';
    if (shape[i] == 'd' ? !digit : text[i] != shape[i]) return std::nullopt;
  }
  auto number = [&](std::size_t pos, std::size_t n) {
    int v = 0;
    for (std::size_t i = 0; i < n; ++i) v = v * 10 + (text[pos + i] - '0');
    return v;
  };
  using namespace std::chrono;
  year_month_day date{year{number(0, 4)}, month{static_cast<unsigned>(number(5, 2))},
                      day{static_cast<unsigned>(number(8, 2))}};
  int h = number(11, 2), m = number(14, 2), s = number(17, 2);
  if (!date.ok() || h > 23 || m > 59 || s > 60) return std::nullopt;
  return sys_days(date) + hours(h) + minutes(m) + seconds(s);
}

std::string format_expires(Seconds t) {
  // Expiry times reach this only once they have passed, well inside the
  // range of sigstore::Time.
  return sigstore::format_time(std::chrono::time_point_cast<std::chrono::nanoseconds>(t));
}

}  // namespace model_signing::tuf
