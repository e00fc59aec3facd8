// Signed checkpoints: the C2SP signed-note format Rekor v1 and v2 use to
// commit to a tree size and root hash.
//
//   <origin>\n<tree size>\n<base64 root hash>\n[<extension line>\n]...
//   \n
//   — <key name> <base64(4-byte key hint || signature)>\n
//   ...
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "model_signing/bundle.h"
#include "sigstore/trust/trust_material.h"

namespace model_signing::sigstore {

struct NoteSignature {
  std::string name;
  Bytes key_hint;  // 4 bytes
  Bytes signature;
};

struct SignedCheckpoint {
  std::string body;  // the signed text: every line up to and including the blank line's '\n'
  std::string origin;
  std::uint64_t tree_size = 0;
  Bytes root_hash;
  std::vector<std::string> extensions;
  std::vector<NoteSignature> signatures;
};

// Throws Error(kInvalidSignature) "checkpoint: ..." naming the malformed part.
SignedCheckpoint parse_checkpoint(const std::string& text);

// The 4-byte key hint the log signs checkpoints with: for Ed25519 (C2SP)
// SHA-256(name || 0x0A || 0x01 || key)[:4]; for ECDSA SHA-256(DER SPKI)[:4];
// for RSA SHA-256(name || 0x0A || 0xFF || "PKIX-RSA-PKCS#1v1.5" || DER)[:4].
Bytes checkpoint_key_hint(const TrustedLog& log);

// Checks that the checkpoint is signed by `log`: its origin names the log
// (for Rekor v1 "<name> - <tree id>" is also accepted), and a signature
// line with the log's name and key hint verifies. Lines from other keys
// (witness cosignatures) are ignored. Throws Error(kInvalidSignature).
void verify_checkpoint_signature(const SignedCheckpoint& checkpoint, const TrustedLog& log);

}  // namespace model_signing::sigstore
