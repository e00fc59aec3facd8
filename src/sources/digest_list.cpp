// Precomputed digests: the checksum lists sha256sum, b2sum and b3sum print,
// and the manifest of any list of (path, digest) pairs.
#include <cctype>
#include <map>
#include <set>
#include <string>

#include "engine/hash_model.h"
#include "manifest/resource_path.h"
#include "model_signing/digest_sources.h"
#include "model_signing/error.h"
#include "util/encoding.h"

namespace model_signing {

namespace {

[[noreturn]] void bad_line(std::size_t number, const std::string& why) {
  throw Error(ErrorKind::kInvalidArgument,
              "digest list line " + std::to_string(number) + ": " + why);
}

// Undoes the escaping coreutils (and b3sum) apply to names holding a
// backslash, a newline or a carriage return.
std::string unescape_name(std::string_view name, std::size_t number) {
  std::string out;
  out.reserve(name.size());
  for (std::size_t i = 0; i < name.size(); ++i) {
    if (name[i] != '\\') {
      out += name[i];
      continue;
    }
    char next = i + 1 < name.size() ? name[i + 1] : '\0';
    if (next == '\\') {
      out += '\\';
    } else if (next == 'n') {
      out += '\n';
    } else if (next == 'r') {
      out += '\r';
    } else {
      bad_line(number, "unknown escape in file name (expected \\\\, \\n or \\r)");
    }
    ++i;
  }
  return out;
}

FileDigest parse_line(std::string_view line, std::size_t number, std::size_t hex_size,
                      HashAlgorithm hash) {
  const bool escaped = line.front() == '\\';
  if (escaped) line.remove_prefix(1);
  std::size_t hex_end = 0;
  while (hex_end < line.size() && std::isxdigit(static_cast<unsigned char>(line[hex_end]))) {
    ++hex_end;
  }
  if (hex_end == 0 || (hex_end < line.size() && line[hex_end] != ' ')) {
    if (!escaped && line.find(" (") != std::string_view::npos &&
        line.find(") = ") != std::string_view::npos) {
      bad_line(number, "BSD-style (--tag) lines are not supported: list the digests without --tag");
    }
    bad_line(number, "expected 'HEXDIGEST  PATH'");
  }
  if (hex_end != hex_size) {
    bad_line(number, "digest has " + std::to_string(hex_end) + " hex digits, but a " +
                         std::string(to_string(hash)) + " digest has " + std::to_string(hex_size) +
                         " (choose the hash with --hash)");
  }
  // Text mode writes two spaces, binary mode a space and '*'.
  if (line.size() < hex_end + 3 || line[hex_end] != ' ' ||
      (line[hex_end + 1] != ' ' && line[hex_end + 1] != '*')) {
    bad_line(number, "expected 'HEXDIGEST  PATH' (two spaces, or ' *', after the digest)");
  }
  std::string_view raw_name = line.substr(hex_end + 2);
  FileDigest entry;
  entry.digest = *util::from_hex(line.substr(0, hex_end));
  entry.path = escaped ? unescape_name(raw_name, number) : std::string(raw_name);
  // find(1) and friends print "./name".
  while (entry.path.rfind("./", 0) == 0) entry.path.erase(0, 2);
  if (auto problem = resource_path_problem(entry.path)) {
    bad_line(number, "path '" + util::printable(entry.path) + "' " + std::string(*problem));
  }
  return entry;
}

}  // namespace

std::vector<FileDigest> parse_digest_list(std::string_view text, HashAlgorithm hash) {
  const std::size_t hex_size = digest_size(hash) * 2;
  std::vector<FileDigest> entries;
  std::map<std::string, std::size_t> first_line;
  std::size_t number = 0;
  while (!text.empty()) {
    std::size_t newline = text.find('\n');
    std::string_view line = text.substr(0, newline);
    text.remove_prefix(newline == std::string_view::npos ? text.size() : newline + 1);
    ++number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);  // CRLF files
    if (line.find_first_not_of(" \t") == std::string_view::npos || line.front() == '#') continue;
    if (line.find('\0') != std::string_view::npos) bad_line(number, "contains a NUL byte");
    entries.push_back(parse_line(line, number, hex_size, hash));
    auto [it, added] = first_line.emplace(entries.back().path, number);
    if (!added) {
      bad_line(number, "path '" + util::printable(entries.back().path) + "' is already listed on line " +
                           std::to_string(it->second));
    }
  }
  return entries;
}

Manifest manifest_from_digests(const std::filesystem::path& model_path,
                               std::vector<FileDigest> digests, const HashingConfig& config) {
  if (config.serialization != Serialization::kFiles) {
    throw Error(ErrorKind::kInvalidArgument,
                "precomputed digests are whole-file digests: the serialization must be files");
  }
  if (digests.empty()) throw Error(ErrorKind::kInvalidArgument, "the digest list names no files");
  const std::size_t size = digest_size(config.hash);
  const walk::WalkOptions options = engine::walk_options_for(model_path, config);
  std::set<std::string> seen;
  std::vector<ManifestItem> items;
  items.reserve(digests.size());
  for (auto& entry : digests) {
    const std::string name = util::printable(entry.path);
    if (auto problem = resource_path_problem(entry.path)) {
      throw Error(ErrorKind::kInvalidArgument, "path '" + name + "' " + std::string(*problem));
    }
    if (entry.digest.size() != size) {
      throw Error(ErrorKind::kInvalidArgument,
                  "digest of '" + name + "' has " + std::to_string(entry.digest.size()) +
                      " bytes, but a " + std::string(to_string(config.hash)) + " digest has " +
                      std::to_string(size));
    }
    if (!seen.insert(entry.path).second) {
      throw Error(ErrorKind::kInvalidArgument, "path '" + name + "' is listed twice");
    }
    // Excluded as hash_model() would never have seen it.
    if (options.ignore.is_ignored(entry.path)) continue;
    items.push_back({std::move(entry.path), std::nullopt, std::nullopt, std::move(entry.digest)});
  }
  return engine::assemble_manifest(model_path, config, walk::ModelTree{}, options.ignore, std::move(items));
}

Manifest manifest_from_digest_list(const std::filesystem::path& model_path, std::string_view text,
                                   const HashingConfig& config) {
  return manifest_from_digests(model_path, parse_digest_list(text, config.hash), config);
}

}  // namespace model_signing
