// RFC 6962 inclusion proofs: index (8 bytes, big-endian), tree size (8),
// leaf hash (32), then the proof's hashes (32 each; a short last one too).
// A proof built here for a small tree must lead to that tree's root.
#include <algorithm>

#include "fuzz_target.h"
#include "sigstore/tlog/merkle.h"

namespace model_signing::fuzz {

namespace {

std::uint64_t be64(std::string_view bytes) {
  std::uint64_t v = 0;
  for (std::size_t i = 0; i < 8 && i < bytes.size(); ++i) v = (v << 8) | static_cast<unsigned char>(bytes[i]);
  return v;
}

Bytes bytes_of(std::string_view text) { return Bytes(text.begin(), text.end()); }

// The root of leaves [begin, end) (RFC 6962 MTH).
Bytes tree_root(const std::vector<Bytes>& leaves, std::size_t begin, std::size_t end) {
  if (end - begin == 1) return leaves[begin];
  std::size_t k = 1;
  while (k * 2 < end - begin) k *= 2;
  return sigstore::merkle::node_hash(tree_root(leaves, begin, begin + k), tree_root(leaves, begin + k, end));
}

// The audit path of leaf `m` in [begin, end) (RFC 6962 PATH).
void audit_path(const std::vector<Bytes>& leaves, std::size_t m, std::size_t begin, std::size_t end,
                std::vector<Bytes>& path) {
  if (end - begin == 1) return;
  std::size_t k = 1;
  while (k * 2 < end - begin) k *= 2;
  if (m < k) {
    audit_path(leaves, m, begin, begin + k, path);
    path.push_back(tree_root(leaves, begin + k, end));
  } else {
    audit_path(leaves, m - k, begin + k, end, path);
    path.push_back(tree_root(leaves, begin, begin + k));
  }
}

}  // namespace

MS_FUZZ_TARGET(inclusion_proof) {
  std::uint64_t index = be64(input.substr(0, std::min<std::size_t>(8, input.size())));
  std::uint64_t size = be64(input.size() > 8 ? input.substr(8) : std::string_view());
  std::string_view rest = input.size() > 16 ? input.substr(16) : std::string_view();
  Bytes leaf = bytes_of(rest.substr(0, std::min<std::size_t>(32, rest.size())));
  std::vector<Bytes> proof;
  for (std::size_t at = 32; at < rest.size(); at += 32) proof.push_back(bytes_of(rest.substr(at, 32)));
  run([&] { sigstore::merkle::root_from_inclusion_proof(index, size, leaf, proof); });

  // A small tree made from the input's bytes: every leaf's own proof must
  // lead to the root.
  std::size_t n = std::min<std::size_t>(input.size() % 37 + 1, 37);
  std::vector<Bytes> leaves;
  for (std::size_t i = 0; i < n; ++i) leaves.push_back(sigstore::merkle::leaf_hash(input.substr(0, i)));
  Bytes root = tree_root(leaves, 0, n);
  std::size_t m = static_cast<std::size_t>(index % n);
  std::vector<Bytes> path;
  audit_path(leaves, m, 0, n, path);
  Bytes computed;
  check(run([&] { computed = sigstore::merkle::root_from_inclusion_proof(m, n, leaves[m], path); }),
        "a valid inclusion proof is rejected");
  check(computed == root, "a valid inclusion proof leads to another root");
}

}  // namespace model_signing::fuzz
