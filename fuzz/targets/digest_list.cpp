// Checksum lists (sha256sum, b2sum, b3sum output) as a digest source: the
// first byte picks the hash, the rest is the list. A list that parses is
// written back the way coreutils writes it (escaping the names that need
// it) and must parse to the same entries; its manifest lists each of them
// at most once.
#include "fuzz_target.h"
#include "model_signing/digest_sources.h"
#include "util/encoding.h"

namespace model_signing::fuzz {

namespace {

std::string checksum_line(const FileDigest& entry) {
  std::string name;
  bool escaped = false;
  for (char c : entry.path) {
    if (c == '\\' || c == '\n' || c == '\r') {
      escaped = true;
      name += c == '\\' ? "\\\\" : c == '\n' ? "\\n" : "\\r";
    } else {
      name += c;
    }
  }
  return (escaped ? "\\" : "") + util::to_hex(entry.digest) + "  " + name + "\n";
}

}  // namespace

MS_FUZZ_TARGET(digest_list) {
  if (input.empty()) return;
  const HashAlgorithm hashes[] = {HashAlgorithm::kSha256, HashAlgorithm::kBlake2b, HashAlgorithm::kBlake3};
  HashingConfig config;
  config.hash = hashes[static_cast<unsigned char>(input[0]) % 3];
  input.remove_prefix(1);
  std::vector<FileDigest> entries;
  if (!run([&] { entries = parse_digest_list(input, config.hash); })) return;
  std::string written;
  for (const auto& entry : entries) {
    check(entry.digest.size() == digest_size(config.hash), "a digest of the wrong length is accepted");
    written += checksum_line(entry);
  }
  std::vector<FileDigest> again;
  check(run([&] { again = parse_digest_list(written, config.hash); }), "a written list does not parse");
  check(again.size() == entries.size(), "a list changes length on a round trip");
  for (std::size_t i = 0; i < entries.size(); ++i) {
    check(again[i].path == entries[i].path && again[i].digest == entries[i].digest, "an entry does not round-trip");
  }
  Manifest manifest;
  if (!run([&] { manifest = manifest_from_digests("model", entries, config); })) return;
  check(manifest.items().size() <= entries.size(), "a manifest lists more files than the list");
}

}  // namespace model_signing::fuzz
