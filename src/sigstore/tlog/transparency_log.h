// Verifying one transparency log entry of a bundle against the trusted
// root: the entry type is supported, the log is trusted, then the rules of
// its Rekor version (rekor_v1.cpp, rekor_v2.cpp): the entry body is the
// bundle's, the signed entry timestamp (v1) verifies, and the inclusion
// proof leads to the root hash of a checkpoint the log signed.
#pragma once

#include <optional>

#include "model_signing/bundle.h"
#include "model_signing/sigstore_trust.h"
#include "sigstore/tlog/entry_body.h"
#include "sigstore/tlog/log_entry.h"
#include "sigstore/trust/trust_material.h"

namespace model_signing::sigstore {

// What the bundle's version requires of Rekor v1 entries (v2 entries always
// need an inclusion proof with a checkpoint, and never have a SET).
struct TlogRequirements {
  bool inclusion_promise = false;  // bundle v0.1: a SET is required
  bool inclusion_proof = true;     // bundle v0.2+: a proof with a checkpoint is required
};

struct VerifiedTlogEntry {
  const TrustedLog* log = nullptr;
  ParsedLogEntry entry;  // its type (Rekor v1 or v2) and parsed body
  // Set when a verified SET vouches for the integrated time; the log key was
  // valid then.
  std::optional<Time> integrated_time;
};

// Throws Error naming the failed check ("signed entry timestamp", "inclusion
// proof", "checkpoint", "entry body", "log ... is not trusted"...).
VerifiedTlogEntry verify_tlog_entry(const TransparencyLogEntry& entry, const TrustMaterial& trust,
                                    const SignedContent& content, const TlogRequirements& required);

// The rules of each Rekor version, for an entry whose log is `log`.
VerifiedTlogEntry verify_rekor_v1_entry(const ParsedLogEntry& entry, const TrustedLog& log,
                                        const SignedContent& content,
                                        const TlogRequirements& required);
VerifiedTlogEntry verify_rekor_v2_entry(const ParsedLogEntry& entry, const TrustedLog& log,
                                        const SignedContent& content);

// Checks the inclusion proof and its checkpoint alone.
void verify_inclusion_proof(const TransparencyLogEntry& entry, const TrustedLog& log,
                            bool checkpoint_required);

// Throws Error(kUntrustedSigner) unless the log's key was valid at `t`.
void require_log_key_valid(const TrustedLog& log, Time t, const std::string& when);

}  // namespace model_signing::sigstore
