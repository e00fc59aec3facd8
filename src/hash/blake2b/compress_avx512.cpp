// BLAKE2b compression with AVX-512 (F and VL), for one input or two
// interleaved. Compiled with -mavx512f -mavx512vl; only called after the
// dispatcher has seen the CPU (and OS) support them.
//
// The sixteen working words sit in four rows a = v0..v3, b = v4..v7,
// c = v8..v11, d = v12..v15, one 64-bit lane per column, so one G on the
// rows is the four column G's (or, with the rows rotated, the four diagonal
// G's) at once, with native 64-bit rotates. One input uses YMM rows; two
// inputs share ZMM rows, the first in the low 256 bits, the second in the
// high 256 bits, so each instruction works for both and the pair costs
// about what one input does: the rounds are one dependency chain, and one
// chain keeps the core far from busy.
//
// Diagonalizing rotates rows a, c and d and leaves b in place: b is the last
// row G produces, so the next G can start on it at once while the other
// rotations (a, c and d were ready earlier) hide behind it. With b fixed,
// lane j of the diagonal step computes the diagonal G whose b word is
// v(4+j), i.e. G7, G4, G5, G6 for lanes 0..3, and the message words are
// gathered in that order.
//
// Message words. One input: each step's four x words and four y words are
// broadcast straight from the block and blended together (loads and any
// vector port; VPERMT2Q here, on the shuffle port the diagonalization also
// needs, was a fifth slower). Two inputs: each block is two ZMM registers
// (words 0-7 and 8-15); one VPERMT2Q per input and step picks its four x
// and four y words (the second input's in the other order), a blend puts
// both inputs' x words in one register and a 128-bit shuffle their y words
// in another. (Gathering both inputs' words with VPGATHERQQ instead was no
// faster.)
//
// Cycles per block (per pair of blocks for two inputs) on the Xeon this was
// written on, 16 KiB in L1: one input about 325, two about 365; OpenSSL
// takes about 480 for one block of one input (bench/blake2b_bench).
#include <immintrin.h>

#include <cstring>

#include "hash/blake2b/blake2b_kernels.h"

namespace model_signing::hash::blake2b {

namespace {

// Bytes ahead of the block being hashed that are prefetched: a few
// microseconds of hashing, enough to cover a miss to memory. (On 2 GiB of
// mapped files, 1 KiB to 16 KiB or no prefetch at all were within noise of
// each other here; the hardware prefetcher keeps up with ~1 cycle a byte.)
constexpr std::size_t kPrefetchDistance = 4096;

// Per round, the message words of the column step and of the diagonal
// step: the four x words (lanes 0-3) then the four y words (lanes 4-7), as
// VPERMT2Q indexes (and word numbers for the broadcasts).
struct alignas(64) Schedule {
  std::int64_t index[kRounds][2][8];
  std::int64_t swapped[kRounds][2][8];  // the y words first, then the x words
};

constexpr Schedule make_schedule() {
  Schedule s{};
  for (int r = 0; r < kRounds; ++r) {
    const std::uint8_t* m = kSigma[r];
    // Column step: lane j is G_j, words sigma[2j] and sigma[2j+1].
    for (int j = 0; j < 4; ++j) {
      s.index[r][0][j] = m[2 * j];
      s.index[r][0][4 + j] = m[2 * j + 1];
    }
    // Diagonal step: lane j is G_(4 + (j + 3) % 4).
    for (int j = 0; j < 4; ++j) {
      int gi = 4 + (j + 3) % 4;
      s.index[r][1][j] = m[2 * gi];
      s.index[r][1][4 + j] = m[2 * gi + 1];
    }
    for (int step = 0; step < 2; ++step) {
      for (int j = 0; j < 8; ++j) s.swapped[r][step][j] = s.index[r][step][(j + 4) % 8];
    }
  }
  return s;
}

constexpr Schedule kSchedule = make_schedule();

inline __m512i add(__m512i x, __m512i y) { return _mm512_add_epi64(x, y); }
inline __m256i add(__m256i x, __m256i y) { return _mm256_add_epi64(x, y); }
inline __m512i xor_(__m512i x, __m512i y) { return _mm512_xor_si512(x, y); }
inline __m256i xor_(__m256i x, __m256i y) { return _mm256_xor_si256(x, y); }
template <int N>
inline __m512i ror(__m512i x) {
  return _mm512_ror_epi64(x, N);
}
template <int N>
inline __m256i ror(__m256i x) {
  return _mm256_ror_epi64(x, N);
}
// Permutes the four 64-bit lanes of each 256-bit half.
template <int Imm>
inline __m512i lanes(__m512i x) {
  return _mm512_permutex_epi64(x, Imm);
}
template <int Imm>
inline __m256i lanes(__m256i x) {
  return _mm256_permute4x64_epi64(x, Imm);
}

// Lane j takes lane j-1, j+1, j+2 (mod 4).
constexpr int kFromPrevious = _MM_SHUFFLE(2, 1, 0, 3);
constexpr int kFromNext = _MM_SHUFFLE(0, 3, 2, 1);
constexpr int kFromOpposite = _MM_SHUFFLE(1, 0, 3, 2);

// a + m, then + b: b is the last input ready, so only one add waits for it.
// The empty asm keeps the compiler from reassociating that into
// (m + b) + a, which puts two adds after b (5% slower).
template <class V>
inline V add_message(V a, V m, V b) {
  a = add(a, m);
  __asm__("" : "+v"(a));
  return add(a, b);
}

template <class V>
inline void g(V& a, V& b, V& c, V& d, V x, V y) {
  a = add_message(a, x, b);
  d = ror<32>(xor_(d, a));
  c = add(c, d);
  b = ror<24>(xor_(b, c));
  a = add_message(a, y, b);
  d = ror<16>(xor_(d, a));
  c = add(c, d);
  b = ror<63>(xor_(b, c));
}

// One input: its block.
struct OneBlock {
  const std::uint8_t* block;
  __m256i word(std::int64_t i) const {
    long long w;
    std::memcpy(&w, block + 8 * i, sizeof w);
    return _mm256_set1_epi64x(w);
  }
  // Words index[0..3] in lanes 0..3.
  __m256i four(const std::int64_t* index) const {
    __m256i low = _mm256_blend_epi32(word(index[0]), word(index[1]), 0x0C);
    __m256i high = _mm256_blend_epi32(word(index[2]), word(index[3]), 0xC0);
    return _mm256_blend_epi32(low, high, 0xF0);
  }
  void words(const std::int64_t* index, const std::int64_t*, __m256i& x, __m256i& y) const {
    x = four(index);
    y = four(index + 4);
  }
};

// Two inputs: each block's words 0-7 and 8-15.
struct TwoBlocks {
  __m512i a_lo, a_hi, b_lo, b_hi;
  void words(const std::int64_t* index, const std::int64_t* swapped, __m512i& x,
             __m512i& y) const {
    __m512i pa = _mm512_permutex2var_epi64(a_lo, _mm512_load_si512(index), a_hi);  // ax ay
    __m512i pb = _mm512_permutex2var_epi64(b_lo, _mm512_load_si512(swapped), b_hi);  // by bx
    x = _mm512_mask_blend_epi64(0xF0, pa, pb);                  // ax bx
    y = _mm512_shuffle_i64x2(pa, pb, _MM_SHUFFLE(1, 0, 3, 2));  // ay by
  }
};

template <class V, class Block>
inline void rounds(V& a, V& b, V& c, V& d, const Block& m) {
#pragma GCC unroll 12
  for (int r = 0; r < kRounds; ++r) {
    V x, y;
    m.words(kSchedule.index[r][0], kSchedule.swapped[r][0], x, y);
    g(a, b, c, d, x, y);
    a = lanes<kFromPrevious>(a);
    c = lanes<kFromNext>(c);
    d = lanes<kFromOpposite>(d);
    m.words(kSchedule.index[r][1], kSchedule.swapped[r][1], x, y);
    g(a, b, c, d, x, y);
    a = lanes<kFromNext>(a);
    c = lanes<kFromPrevious>(c);
    d = lanes<kFromOpposite>(d);
  }
}

inline __m256i load256(const void* p) { return _mm256_loadu_si256(static_cast<const __m256i*>(p)); }
inline __m512i load512(const void* p) { return _mm512_loadu_si512(p); }
inline void prefetch(const std::uint8_t* p) {
  _mm_prefetch(reinterpret_cast<const char*>(p + kPrefetchDistance), _MM_HINT_T0);
  _mm_prefetch(reinterpret_cast<const char*>(p + kPrefetchDistance + 64), _MM_HINT_T0);
}

// One block of one input into h (rows h0 = h0..h3, h1 = h4..h7) with
// counter t and final flag f0.
inline void compress_one(__m256i& h0, __m256i& h1, const std::uint8_t* block,
                         const std::uint64_t t[2], std::uint64_t f0) {
  __m256i a = h0, b = h1, c = load256(kIv);
  __m256i d = xor_(load256(kIv + 4),
                   _mm256_set_epi64x(0, static_cast<long long>(f0), static_cast<long long>(t[1]),
                                     static_cast<long long>(t[0])));
  rounds(a, b, c, d, OneBlock{block});
  h0 = _mm256_ternarylogic_epi64(h0, a, c, 0x96);  // h ^ a ^ c
  h1 = _mm256_ternarylogic_epi64(h1, b, d, 0x96);
}

}  // namespace

void compress_avx512(std::uint64_t state[8], std::uint64_t counter[2], const std::uint8_t* data,
                     std::size_t blocks) {
  __m256i h0 = load256(state), h1 = load256(state + 4);
  std::uint64_t t[2] = {counter[0], counter[1]};
  for (std::size_t n = 0; n < blocks; ++n, data += kBlockSize) {
    prefetch(data);
    advance(t, kBlockSize);
    compress_one(h0, h1, data, t, 0);
  }
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(state), h0);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(state + 4), h1);
  counter[0] = t[0];
  counter[1] = t[1];
}

void compress_last_avx512(std::uint64_t state[8], const std::uint64_t counter[2],
                          const std::uint8_t block[kBlockSize]) {
  __m256i h0 = load256(state), h1 = load256(state + 4);
  compress_one(h0, h1, block, counter, ~std::uint64_t{0});
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(state), h0);
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(state + 4), h1);
}

void compress_avx512_pair(std::uint64_t state_a[8], std::uint64_t counter_a[2],
                          const std::uint8_t* a, std::uint64_t state_b[8],
                          std::uint64_t counter_b[2], const std::uint8_t* b, std::size_t blocks) {
  auto both = [](const std::uint64_t* x, const std::uint64_t* y) {
    return _mm512_inserti64x4(_mm512_castsi256_si512(load256(x)), load256(y), 1);
  };
  __m512i h0 = both(state_a, state_b), h1 = both(state_a + 4, state_b + 4);
  const __m512i iv0 = both(kIv, kIv), iv1 = both(kIv + 4, kIv + 4);
  std::uint64_t ta[2] = {counter_a[0], counter_a[1]};
  std::uint64_t tb[2] = {counter_b[0], counter_b[1]};
  for (std::size_t n = 0; n < blocks; ++n, a += kBlockSize, b += kBlockSize) {
    prefetch(a);
    prefetch(b);
    advance(ta, kBlockSize);
    advance(tb, kBlockSize);
    TwoBlocks m{load512(a), load512(a + 64), load512(b), load512(b + 64)};
    __m512i va = h0, vb = h1, vc = iv0;
    __m512i vd = xor_(iv1, _mm512_set_epi64(0, 0, static_cast<long long>(tb[1]),
                                            static_cast<long long>(tb[0]), 0, 0,
                                            static_cast<long long>(ta[1]),
                                            static_cast<long long>(ta[0])));
    rounds(va, vb, vc, vd, m);
    h0 = _mm512_ternarylogic_epi64(h0, va, vc, 0x96);
    h1 = _mm512_ternarylogic_epi64(h1, vb, vd, 0x96);
  }
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(state_a), _mm512_castsi512_si256(h0));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(state_a + 4), _mm512_castsi512_si256(h1));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(state_b), _mm512_extracti64x4_epi64(h0, 1));
  _mm256_storeu_si256(reinterpret_cast<__m256i*>(state_b + 4), _mm512_extracti64x4_epi64(h1, 1));
  counter_a[0] = ta[0];
  counter_a[1] = ta[1];
  counter_b[0] = tb[0];
  counter_b[1] = tb[1];
}

}  // namespace model_signing::hash::blake2b
