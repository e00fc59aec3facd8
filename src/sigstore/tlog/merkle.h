// RFC 6962 Merkle tree hashing and inclusion proofs (verification as in
// RFC 9162 section 2.1.3.2), as used by Rekor v1 and v2.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

#include "model_signing/bundle.h"

namespace model_signing::sigstore::merkle {

Bytes leaf_hash(std::string_view leaf);  // SHA-256(0x00 || leaf)
Bytes node_hash(const Bytes& left, const Bytes& right);  // SHA-256(0x01 || left || right)

// The root hash the proof leads to for leaf `index` in a tree of `size`
// leaves. Throws Error(kInvalidSignature) naming what is wrong when the
// proof cannot be evaluated (index out of range, wrong length, hash sizes).
Bytes root_from_inclusion_proof(std::uint64_t index, std::uint64_t size, const Bytes& leaf_hash,
                                const std::vector<Bytes>& proof);

}  // namespace model_signing::sigstore::merkle
