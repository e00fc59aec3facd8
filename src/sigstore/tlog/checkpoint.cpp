#include "sigstore/tlog/checkpoint.h"

#include "crypto/digest.h"
#include "crypto/ec_key.h"
#include "crypto/key_algorithm.h"
#include "model_signing/error.h"
#include "util/encoding.h"

namespace model_signing::sigstore {

namespace {

constexpr std::string_view kEmDash = "\xE2\x80\x94";  // U+2014, starts a signature line
constexpr std::size_t kMaxSignatures = 100;

[[noreturn]] void malformed(const std::string& why) {
  throw Error(ErrorKind::kInvalidSignature, "checkpoint is malformed: " + why);
}

std::vector<std::string> split_lines(std::string_view text) {
  // `text` ends with '\n'; every line is returned without it.
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    lines.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  return lines;
}

std::uint64_t parse_tree_size(const std::string& line) {
  if (line.empty() || line.size() > 20 || (line.size() > 1 && line[0] == '0')) {
    malformed("tree size line '" + util::excerpt(line) + "' is not a decimal number");
  }
  std::uint64_t value = 0;
  for (char c : line) {
    if (c < '0' || c > '9') malformed("tree size line '" + util::excerpt(line) + "' is not a decimal number");
    std::uint64_t next = value * 10 + static_cast<std::uint64_t>(c - '0');
    if (next / 10 != value) malformed("tree size '" + util::excerpt(line) + "' is out of range");
    value = next;
  }
  return value;
}

NoteSignature parse_signature_line(const std::string& line) {
  if (line.compare(0, kEmDash.size(), kEmDash) != 0 || line.size() <= kEmDash.size() + 1 ||
      line[kEmDash.size()] != ' ') {
    malformed("signature line does not start with '\xE2\x80\x94 '");
  }
  std::string rest = line.substr(kEmDash.size() + 1);
  auto space = rest.find(' ');
  if (space == std::string::npos || space == 0 || rest.find(' ', space + 1) != std::string::npos) {
    malformed("signature line is not '\xE2\x80\x94 <name> <signature>'");
  }
  NoteSignature sig;
  sig.name = rest.substr(0, space);
  if (sig.name.find('+') != std::string::npos) malformed("key name '" + util::excerpt(sig.name) + "' contains '+'");
  auto decoded = util::base64_decode(rest.substr(space + 1));
  if (!decoded || decoded->size() < 5) {
    malformed("signature of '" + util::excerpt(sig.name) + "' is not base64 of a key hint and a signature");
  }
  sig.key_hint.assign(decoded->begin(), decoded->begin() + 4);
  sig.signature.assign(decoded->begin() + 4, decoded->end());
  return sig;
}

Bytes hash_prefix(const Bytes& data) {
  Bytes h = crypto::sha256(data);
  h.resize(4);
  return h;
}

void append(Bytes& out, std::string_view s) { out.insert(out.end(), s.begin(), s.end()); }

}  // namespace

SignedCheckpoint parse_checkpoint(const std::string& text) {
  if (text.empty()) malformed("it is empty");
  if (!util::is_valid_utf8(text)) malformed("it is not valid UTF-8");
  if (text.find('\r') != std::string::npos) malformed("it contains a carriage return");
  auto separator = text.find("\n\n");
  if (separator == std::string::npos) malformed("no blank line before the signatures");
  SignedCheckpoint cp;
  cp.body = text.substr(0, separator + 1);
  std::string block = text.substr(separator + 2);
  if (block.empty()) malformed("no signature lines");
  if (block.back() != '\n') malformed("the last signature line does not end with a newline");

  std::vector<std::string> lines = split_lines(cp.body);
  if (lines.size() < 3) {
    malformed("the note needs an origin, a tree size and a root hash line, found " +
              std::to_string(lines.size()) + " line(s)");
  }
  cp.origin = lines[0];
  cp.tree_size = parse_tree_size(lines[1]);
  auto root = util::base64_decode(lines[2]);
  if (!root || root->size() != 32) malformed("root hash line is not base64 of 32 bytes");
  cp.root_hash = *root;
  cp.extensions.assign(lines.begin() + 3, lines.end());

  for (const std::string& line : split_lines(block)) {
    if (line.empty()) malformed("empty line among the signatures");
    cp.signatures.push_back(parse_signature_line(line));
    if (cp.signatures.size() > kMaxSignatures) malformed("more than 100 signatures");
  }
  return cp;
}

Bytes checkpoint_key_hint(const TrustedLog& log) {
  EVP_PKEY* key = log.key();
  std::string der = crypto::public_key_spki_der(key);
  Bytes data;
  switch (EVP_PKEY_get_base_id(key)) {
    case EVP_PKEY_ED25519: {
      unsigned char raw[32];
      std::size_t len = sizeof(raw);
      if (EVP_PKEY_get_raw_public_key(key, raw, &len) != 1 || len != 32) {
        throw Error(ErrorKind::kUnsupported, log.label + ": cannot read its Ed25519 key");
      }
      append(data, log.name);
      data.push_back(0x0A);
      data.push_back(0x01);
      data.insert(data.end(), raw, raw + len);
      break;
    }
    case EVP_PKEY_RSA:
      append(data, log.name);
      data.push_back(0x0A);
      data.push_back(0xFF);
      append(data, "PKIX-RSA-PKCS#1v1.5");
      append(data, der);
      break;
    default:
      append(data, der);
  }
  return hash_prefix(data);
}

void verify_checkpoint_signature(const SignedCheckpoint& cp, const TrustedLog& log) {
  // Rekor v1 origins carry the tree ID: "rekor.sigstore.dev - 1193050959916656506".
  bool origin_ok = cp.origin == log.name || cp.origin.rfind(log.name + " - ", 0) == 0;
  if (!origin_ok) {
    throw Error(ErrorKind::kInvalidSignature,
                "checkpoint origin '" + util::excerpt(cp.origin) + "' does not name " + log.label);
  }
  Bytes hint = checkpoint_key_hint(log);
  bool found = false;
  for (const NoteSignature& sig : cp.signatures) {
    if (sig.name != log.name || sig.key_hint != hint) continue;  // e.g. a witness cosignature
    found = true;
    if (crypto::verify_message_signature(log.key(), cp.body, sig.signature, log.label + " key")) return;
  }
  if (!found) {
    throw Error(ErrorKind::kInvalidSignature,
                "checkpoint is not signed by " + log.label + " (no signature line with its name "
                "and key hint " + util::to_hex(hint) + ")");
  }
  throw Error(ErrorKind::kInvalidSignature,
              "checkpoint signature by " + log.label + " does not verify with its key");
}

}  // namespace model_signing::sigstore
