#include "hash/sha256/sha256_hasher.h"

#include <algorithm>
#include <cstring>
#include <string>

#include "model_signing/error.h"

namespace model_signing::hash {

namespace {

void store_be32(std::uint32_t v, std::uint8_t* p) {
  p[0] = static_cast<std::uint8_t>(v >> 24);
  p[1] = static_cast<std::uint8_t>(v >> 16);
  p[2] = static_cast<std::uint8_t>(v >> 8);
  p[3] = static_cast<std::uint8_t>(v);
}

}  // namespace

const BackendDispatch<Sha256Backend, 3>& sha256_backends() {
  static const BackendDispatch<Sha256Backend, 3> backends(
      "SHA-256", "MS_SHA256_BACKEND",
      {{{Sha256Backend::kOpenSsl, {"openssl", nullptr, 1}},
        {Sha256Backend::kPortable, {"portable", nullptr, 0}},
        {Sha256Backend::kShaNi, {"shani", &CpuFeatures::sha_ni, 2}}}});
  return backends;
}

Sha256Hasher::Sha256Hasher(Sha256Backend backend)
    : compress_(sha256::compress_portable), pair_(nullptr) {
  if (backend == Sha256Backend::kOpenSsl || !sha256_backends().supported(backend)) {
    throw Error(ErrorKind::kUnsupported,
                "SHA-256 backend " + std::string(to_string(backend)) + " cannot run here");
  }
#if defined(MS_SHA256_X86)
  if (backend == Sha256Backend::kShaNi) {
    compress_ = sha256::compress_shani;
    pair_ = sha256::compress_shani_pair;
  }
#endif
  reset();
}

void Sha256Hasher::reset() {
  std::memcpy(state_, sha256::kInitialState, sizeof state_);
  buffered_ = 0;
  length_ = 0;
}

void Sha256Hasher::update(const std::uint8_t* data, std::size_t size) {
  if (size == 0) return;
  length_ += size;
  if (buffered_ > 0) {
    std::size_t take = std::min(size, sha256::kBlockSize - buffered_);
    std::memcpy(buffer_ + buffered_, data, take);
    buffered_ += take;
    data += take;
    size -= take;
    if (buffered_ < sha256::kBlockSize) return;
    compress_(state_, buffer_, 1);
    buffered_ = 0;
  }
  std::size_t blocks = size / sha256::kBlockSize;
  if (blocks > 0) compress_(state_, data, blocks);
  std::size_t rest = size - blocks * sha256::kBlockSize;
  if (rest > 0) std::memcpy(buffer_, data + blocks * sha256::kBlockSize, rest);
  buffered_ = rest;
}

bool Sha256Hasher::pairs_with(const Hasher& other) const {
  auto* o = dynamic_cast<const Sha256Hasher*>(&other);
  return o && o != this && pair_ && o->pair_ == pair_;
}

void Sha256Hasher::update_pair(Hasher& other, const std::uint8_t* mine, const std::uint8_t* theirs,
                               std::size_t size) {
  if (!pairs_with(other)) {
    Hasher::update_pair(other, mine, theirs, size);
    return;
  }
  auto& o = static_cast<Sha256Hasher&>(other);
  // Complete any partly filled block on its own, then interleave the whole
  // blocks both inputs have, then take what is left on its own.
  std::size_t i = buffered_ ? std::min(size, sha256::kBlockSize - buffered_) : 0;
  std::size_t j = o.buffered_ ? std::min(size, sha256::kBlockSize - o.buffered_) : 0;
  update(mine, i);
  o.update(theirs, j);
  std::size_t blocks = std::min(size - i, size - j) / sha256::kBlockSize;
  if (blocks > 0 && buffered_ == 0 && o.buffered_ == 0) {
    pair_(state_, mine + i, o.state_, theirs + j, blocks);
    length_ += blocks * sha256::kBlockSize;
    o.length_ += blocks * sha256::kBlockSize;
    i += blocks * sha256::kBlockSize;
    j += blocks * sha256::kBlockSize;
  }
  update(mine + i, size - i);
  o.update(theirs + j, size - j);
}

void Sha256Hasher::finish(std::uint8_t* out) {
  // Padding: 0x80, zeros up to 56 bytes into a block, the length in bits.
  std::uint64_t bits = length_ * 8;
  std::uint8_t tail[2 * sha256::kBlockSize] = {};
  std::memcpy(tail, buffer_, buffered_);
  tail[buffered_] = 0x80;
  std::size_t total = buffered_ + 1 + 8 <= sha256::kBlockSize ? sha256::kBlockSize
                                                              : 2 * sha256::kBlockSize;
  for (int k = 0; k < 8; ++k) tail[total - 1 - k] = static_cast<std::uint8_t>(bits >> (8 * k));
  compress_(state_, tail, total / sha256::kBlockSize);
  for (int k = 0; k < 8; ++k) store_be32(state_[k], out + 4 * k);
}

}  // namespace model_signing::hash
