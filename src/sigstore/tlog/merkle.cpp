#include "sigstore/tlog/merkle.h"

#include "crypto/digest.h"
#include "model_signing/error.h"

namespace model_signing::sigstore::merkle {

namespace {

[[noreturn]] void bad_proof(const std::string& why) {
  throw Error(ErrorKind::kInvalidSignature, "inclusion proof is malformed: " + why);
}

}  // namespace

Bytes leaf_hash(std::string_view leaf) {
  std::string data(1, '\0');
  data.append(leaf);
  return crypto::sha256(data);
}

Bytes node_hash(const Bytes& left, const Bytes& right) {
  Bytes data;
  data.reserve(1 + left.size() + right.size());
  data.push_back(0x01);
  data.insert(data.end(), left.begin(), left.end());
  data.insert(data.end(), right.begin(), right.end());
  return crypto::sha256(data);
}

Bytes root_from_inclusion_proof(std::uint64_t index, std::uint64_t size, const Bytes& leaf,
                                const std::vector<Bytes>& proof) {
  if (index >= size) {
    bad_proof("leaf index " + std::to_string(index) + " is not below tree size " +
              std::to_string(size));
  }
  if (leaf.size() != 32) bad_proof("leaf hash is not 32 bytes");
  std::uint64_t fn = index;
  std::uint64_t sn = size - 1;
  Bytes r = leaf;
  for (std::size_t i = 0; i < proof.size(); ++i) {
    const Bytes& p = proof[i];
    if (p.size() != 32) bad_proof("hash " + std::to_string(i) + " is not 32 bytes");
    if (sn == 0) bad_proof("more hashes than the tree size allows");
    if ((fn & 1) == 1 || fn == sn) {
      r = node_hash(p, r);
      if ((fn & 1) == 0) {
        while ((fn & 1) == 0 && fn != 0) {
          fn >>= 1;
          sn >>= 1;
        }
      }
    } else {
      r = node_hash(r, p);
    }
    fn >>= 1;
    sn >>= 1;
  }
  if (sn != 0) bad_proof("fewer hashes than the tree size requires");
  return r;
}

}  // namespace model_signing::sigstore::merkle
