#include "hash/blake3/blake3.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include "model_signing/error.h"

namespace model_signing::hash::blake3 {

// What a node of the tree compresses last: the chaining value of the node is
// one compression of it, the root output is any number of them with
// increasing counters.
struct NodeOutput {
  std::uint32_t cv[8];
  std::uint8_t block[kBlockLen];
  std::uint8_t block_len;
  std::uint64_t counter;
  std::uint8_t flags;

  void chaining_value(const Kernels& k, std::uint8_t out[kOutLen]) const {
    std::uint32_t words[8];
    std::memcpy(words, cv, sizeof words);
    k.compress_in_place(words, block, block_len, counter, flags);
    store_cv_words(words, out);
  }

  void root_bytes(const Kernels& k, std::uint8_t* out, std::size_t size) const {
    std::uint8_t wide[kBlockLen];
    for (std::uint64_t output_block = 0; size > 0; ++output_block) {
      k.compress_xof(cv, block, block_len, output_block, flags | kRoot, wide);
      std::size_t n = std::min(size, kBlockLen);
      std::memcpy(out, wide, n);
      out += n;
      size -= n;
    }
  }
};

namespace {

using Output = NodeOutput;

Output parent_output(const std::uint8_t children[2 * kOutLen], const std::uint32_t key[8],
                     std::uint8_t flags) {
  Output o;
  std::memcpy(o.cv, key, sizeof o.cv);
  std::memcpy(o.block, children, kBlockLen);
  o.block_len = kBlockLen;
  o.counter = 0;
  o.flags = flags | kParent;
  return o;
}

void chunk_update(const Kernels& k, ChunkState& c, const std::uint8_t* data, std::size_t size,
                  std::uint8_t flags) {
  while (size > 0) {
    if (c.block_len == kBlockLen) {
      // The buffered block is full and more input follows: not the chunk's end.
      k.compress_in_place(c.cv, c.block, kBlockLen, c.counter,
                          flags | (c.blocks_compressed == 0 ? kChunkStart : 0));
      ++c.blocks_compressed;
      c.block_len = 0;
    }
    std::size_t take = std::min(size, kBlockLen - c.block_len);
    std::memcpy(c.block + c.block_len, data, take);
    c.block_len = static_cast<std::uint8_t>(c.block_len + take);
    data += take;
    size -= take;
  }
}

Output chunk_output(const ChunkState& c, std::uint8_t flags) {
  Output o;
  std::memcpy(o.cv, c.cv, sizeof o.cv);
  std::memcpy(o.block, c.block, c.block_len);
  std::memset(o.block + c.block_len, 0, kBlockLen - c.block_len);
  o.block_len = c.block_len;
  o.counter = c.counter;
  o.flags = flags | kChunkEnd | (c.blocks_compressed == 0 ? kChunkStart : 0);
  return o;
}

// The chaining values of the chunks of `input` (at most the backend's degree
// of chunks, all whole but maybe the last).
std::size_t hash_chunks(const Kernels& k, const std::uint8_t* input, std::size_t size,
                        const std::uint32_t key[8], std::uint64_t counter, std::uint8_t flags,
                        std::uint8_t* out) {
  const std::uint8_t* whole[kMaxDegree];
  std::size_t n = 0;
  for (; (n + 1) * kChunkLen <= size; ++n) whole[n] = input + n * kChunkLen;
  k.hash_many(whole, n, kBlocksPerChunk, key, counter, true, flags, kChunkStart, kChunkEnd, out);
  if (size > n * kChunkLen) {
    ChunkState last;
    last.reset(key, counter + n);
    chunk_update(k, last, input + n * kChunkLen, size - n * kChunkLen, flags);
    chunk_output(last, flags).chaining_value(k, out + n * kOutLen);
    ++n;
  }
  return n;
}

// Parents of consecutive pairs of `count` chaining values (at most twice the
// degree); an odd last one passes through unchanged.
std::size_t hash_parents(const Kernels& k, const std::uint8_t* cvs, std::size_t count,
                         const std::uint32_t key[8], std::uint8_t flags, std::uint8_t* out) {
  const std::uint8_t* pairs[kMaxDegree];
  std::size_t n = count / 2;
  for (std::size_t i = 0; i < n; ++i) pairs[i] = cvs + 2 * i * kOutLen;
  k.hash_many(pairs, n, 1, key, 0, false, flags | kParent, 0, 0, out);
  if (count % 2 == 1) std::memcpy(out + n * kOutLen, cvs + (count - 1) * kOutLen, kOutLen);
  return n + count % 2;
}

// Bytes in the left subtree of an input of `size` > kChunkLen bytes: the
// largest power-of-two number of chunks that leaves at least one byte right.
std::size_t left_subtree_len(std::size_t size) {
  std::size_t chunks = (size + kChunkLen - 1) / kChunkLen;
  return std::bit_floor(chunks - 1) * kChunkLen;
}

// Hashes a subtree (at chunk index `counter`, aligned as a subtree must be)
// down to at most max(degree, 2) chaining values, level by level: both halves
// give whole groups of degree values, so every parent step but the last few
// fills the many-inputs kernel.
std::size_t hash_subtree_wide(const Kernels& k, const std::uint8_t* input, std::size_t size,
                              const std::uint32_t key[8], std::uint64_t counter, std::uint8_t flags,
                              std::uint8_t* out) {
  if (size <= k.degree * kChunkLen) return hash_chunks(k, input, size, key, counter, flags, out);
  std::size_t left = left_subtree_len(size);
  std::uint8_t cvs[2 * kMaxDegree * kOutLen];
  std::size_t n_left = hash_subtree_wide(k, input, left, key, counter, flags, cvs);
  std::size_t n_right = hash_subtree_wide(
      k, input + left, size - left, key, counter + left / kChunkLen, flags, cvs + n_left * kOutLen);
  if (n_left == 1) {  // degree 1: the two halves are the children
    std::memcpy(out, cvs, 2 * kOutLen);
    return 2;
  }
  return hash_parents(k, cvs, n_left + n_right, key, flags, out);
}

// The two children of a subtree of more than one chunk.
void hash_subtree_children(const Kernels& k, const std::uint8_t* input, std::size_t size,
                           const std::uint32_t key[8], std::uint64_t counter, std::uint8_t flags,
                           std::uint8_t out[2 * kOutLen]) {
  std::uint8_t a[kMaxDegree * kOutLen], b[kMaxDegree * kOutLen];
  std::size_t n = hash_subtree_wide(k, input, size, key, counter, flags, a);
  std::uint8_t* from = a;
  std::uint8_t* to = b;
  while (n > 2) {
    n = hash_parents(k, from, n, key, flags, to);
    std::swap(from, to);
  }
  std::memcpy(out, from, 2 * kOutLen);
}

// The chaining value of the node above `count` consecutive subtree values.
void combine_cvs(const Kernels& k, const std::uint8_t* cvs, std::size_t count,
                 const std::uint32_t key[8], std::uint8_t flags, std::uint8_t out[kOutLen]) {
  if (count == 1) {
    std::memcpy(out, cvs, kOutLen);
    return;
  }
  std::size_t left = std::bit_floor(count - 1);
  std::uint8_t children[2 * kOutLen];
  combine_cvs(k, cvs, left, key, flags, children);
  combine_cvs(k, cvs + left * kOutLen, count - left, key, flags, children + kOutLen);
  parent_output(children, key, flags).chaining_value(k, out);
}

}  // namespace

void ChunkState::reset(const std::uint32_t key[8], std::uint64_t chunk_counter) {
  std::memcpy(cv, key, sizeof cv);
  counter = chunk_counter;
  block_len = 0;
  blocks_compressed = 0;
}

Blake3::Blake3() : Blake3(kIv, 0) {}

Blake3::Blake3(const std::uint32_t key[8], std::uint8_t flags) : flags_(flags) {
  std::memcpy(key_, key, sizeof key_);
  reset();
}

Blake3 Blake3::keyed(const std::uint8_t key[kKeyLen]) {
  std::uint32_t words[8];
  load_key_words(key, words);
  return Blake3(words, kKeyedHash);
}

Blake3 Blake3::derive_key(std::string_view context) {
  Blake3 context_hasher(kIv, kDeriveKeyContext);
  context_hasher.update(reinterpret_cast<const std::uint8_t*>(context.data()), context.size());
  std::uint8_t context_key[kKeyLen];
  context_hasher.finalize(context_key, kKeyLen);
  std::uint32_t words[8];
  load_key_words(context_key, words);
  return Blake3(words, kDeriveKeyMaterial);
}

void Blake3::reset(std::uint64_t start_chunk) {
  kernels_ = &active_kernels();
  start_chunk_ = start_chunk;
  chunk_.reset(key_, start_chunk);
  cv_stack_len_ = 0;
}

void Blake3::merge_cv_stack(std::uint64_t chunks_done) {
  // Completed subtrees to the left of chunk `chunks_done` form one stack
  // entry per 1 bit of the count; extra entries are pairs still to merge.
  std::size_t keep = static_cast<std::size_t>(std::popcount(chunks_done));
  while (cv_stack_len_ > keep) {
    std::uint8_t* children = cv_stack_ + (cv_stack_len_ - 2) * kOutLen;
    parent_output(children, key_, flags_).chaining_value(*kernels_, children);
    --cv_stack_len_;
  }
}

void Blake3::push_cv(const std::uint8_t cv[kOutLen], std::uint64_t chunk_index) {
  merge_cv_stack(chunk_index - start_chunk_);
  std::memcpy(cv_stack_ + cv_stack_len_ * kOutLen, cv, kOutLen);
  ++cv_stack_len_;
}

void Blake3::update(const std::uint8_t* data, std::size_t size) {
  const Kernels& k = *kernels_;
  if (chunk_.len() > 0) {
    std::size_t take = std::min(size, kChunkLen - chunk_.len());
    chunk_update(k, chunk_, data, take, flags_);
    data += take;
    size -= take;
    if (size == 0) return;  // the chunk may still be the last one
    std::uint8_t cv[kOutLen];
    chunk_output(chunk_, flags_).chaining_value(k, cv);
    push_cv(cv, chunk_.counter);
    chunk_.reset(key_, chunk_.counter + 1);
  }
  // Whole subtrees while more than one chunk is left: the largest power of
  // two of chunks that fits and keeps the tree aligned. The final chunk waits
  // in chunk_ since it may be the root.
  while (size > kChunkLen) {
    std::uint64_t done = chunk_.counter - start_chunk_;
    std::size_t subtree = std::bit_floor(size);
    while (((subtree / kChunkLen - 1) & done) != 0) subtree /= 2;
    std::uint64_t subtree_chunks = subtree / kChunkLen;
    if (subtree_chunks == 1) {
      std::uint8_t cv[kOutLen];
      k.hash_many(&data, 1, kBlocksPerChunk, key_, chunk_.counter, true, flags_, kChunkStart,
                  kChunkEnd, cv);
      push_cv(cv, chunk_.counter);
    } else {
      std::uint8_t children[2 * kOutLen];
      hash_subtree_children(k, data, subtree, key_, chunk_.counter, flags_, children);
      push_cv(children, chunk_.counter);
      push_cv(children + kOutLen, chunk_.counter + subtree_chunks / 2);
    }
    chunk_.counter += subtree_chunks;
    data += subtree;
    size -= subtree;
  }
  if (size > 0) {
    chunk_update(k, chunk_, data, size, flags_);
    merge_cv_stack(chunk_.counter - start_chunk_);
  }
}

NodeOutput Blake3::final_output() const {
  if (cv_stack_len_ == 0) return chunk_output(chunk_, flags_);
  NodeOutput out;
  std::size_t remaining = cv_stack_len_;
  if (chunk_.len() > 0) {
    out = chunk_output(chunk_, flags_);
  } else {
    // The input ended on a subtree boundary: its last two entries are the
    // children of the final node.
    remaining -= 2;
    out = parent_output(cv_stack_ + remaining * kOutLen, key_, flags_);
  }
  while (remaining > 0) {
    --remaining;
    std::uint8_t children[2 * kOutLen];
    std::memcpy(children, cv_stack_ + remaining * kOutLen, kOutLen);
    out.chaining_value(*kernels_, children + kOutLen);
    out = parent_output(children, key_, flags_);
  }
  return out;
}

void Blake3::finalize(std::uint8_t* out, std::size_t size) const {
  final_output().root_bytes(*kernels_, out, size);
}

void Blake3::finalize_subtree(std::uint8_t cv[kOutLen]) const {
  final_output().chaining_value(*kernels_, cv);
}

void Blake3::finalize_from_subtrees(const std::uint8_t* cvs, std::size_t count, std::uint8_t* out,
                                    std::size_t size) const {
  if (count < 2) {
    throw Error(ErrorKind::kInvalidArgument, "a BLAKE3 root needs at least two subtrees");
  }
  std::size_t left = std::bit_floor(count - 1);
  std::uint8_t children[2 * kOutLen];
  combine_cvs(*kernels_, cvs, left, key_, flags_, children);
  combine_cvs(*kernels_, cvs + left * kOutLen, count - left, key_, flags_, children + kOutLen);
  parent_output(children, key_, flags_).root_bytes(*kernels_, out, size);
}

}  // namespace model_signing::hash::blake3
