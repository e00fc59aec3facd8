#include "sigstore/tlog/transparency_log.h"

#include "model_signing/error.h"
#include "sigstore/tlog/checkpoint.h"
#include "sigstore/tlog/merkle.h"
#include "util/encoding.h"

namespace model_signing::sigstore {

namespace {

std::string b64(const Bytes& b) { return util::base64_encode(b); }

}  // namespace

void require_log_key_valid(const TrustedLog& log, Time t, const std::string& when) {
  const TimeRange& valid = log.info.public_key.valid_for;
  if (!valid.start) {
    throw Error(ErrorKind::kUntrustedSigner,
                "the key of " + log.label + " has no validity start in the trusted root");
  }
  if (!valid.contains(t)) {
    throw Error(ErrorKind::kUntrustedSigner, "the key of " + log.label + " was not valid at " + when +
                                                 " " + format_time(t) + " (valid " +
                                                 valid.describe() + ")");
  }
}

void verify_inclusion_proof(const TransparencyLogEntry& entry, const TrustedLog& log,
                            bool checkpoint_required) {
  const InclusionProof& proof = *entry.inclusion_proof;
  if (proof.log_index < 0 || proof.tree_size <= 0) {
    throw Error(ErrorKind::kInvalidSignature,
                "inclusion proof has log index " + std::to_string(proof.log_index) +
                    " and tree size " + std::to_string(proof.tree_size));
  }
  Bytes leaf = merkle::leaf_hash(std::string_view(
      reinterpret_cast<const char*>(entry.canonicalized_body.data()), entry.canonicalized_body.size()));
  Bytes root = merkle::root_from_inclusion_proof(static_cast<std::uint64_t>(proof.log_index),
                                                 static_cast<std::uint64_t>(proof.tree_size), leaf,
                                                 proof.hashes);
  if (root != proof.root_hash) {
    throw Error(ErrorKind::kInvalidSignature,
                "inclusion proof does not verify: the entry and its proof hashes lead to root hash " +
                    b64(root) + ", the proof claims " + b64(proof.root_hash) + " for tree size " +
                    std::to_string(proof.tree_size));
  }
  if (proof.checkpoint.empty()) {
    if (checkpoint_required) {
      throw Error(ErrorKind::kInvalidSignature, "inclusion proof has no signed checkpoint");
    }
    return;
  }
  SignedCheckpoint checkpoint = parse_checkpoint(proof.checkpoint);
  verify_checkpoint_signature(checkpoint, log);
  if (checkpoint.tree_size != static_cast<std::uint64_t>(proof.tree_size)) {
    throw Error(ErrorKind::kInvalidSignature,
                "checkpoint is for tree size " + std::to_string(checkpoint.tree_size) +
                    ", the inclusion proof for tree size " + std::to_string(proof.tree_size));
  }
  if (checkpoint.root_hash != proof.root_hash) {
    throw Error(ErrorKind::kInvalidSignature, "checkpoint root hash " + b64(checkpoint.root_hash) +
                                                  " is not the inclusion proof's root hash " +
                                                  b64(proof.root_hash));
  }
}

VerifiedTlogEntry verify_tlog_entry(const TransparencyLogEntry& entry, const TrustMaterial& trust,
                                    const SignedContent& content, const TlogRequirements& required) {
  LogEntryType type = require_supported_type(entry);
  const TrustedLog* log = trust.find_tlog(entry.log_id);
  if (!log) {
    throw Error(ErrorKind::kUntrustedSigner,
                "log ID " + b64(entry.log_id) + " is not a transparency log of the trusted root");
  }
  ParsedLogEntry parsed = parse_log_entry(entry, type);
  return type.rekor_v2() ? verify_rekor_v2_entry(parsed, *log, content)
                         : verify_rekor_v1_entry(parsed, *log, content, required);
}

}  // namespace model_signing::sigstore
