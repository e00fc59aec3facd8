// One-shot digests over in-memory data.
#pragma once

#include <cstdint>
#include <string_view>
#include <vector>

namespace model_signing::crypto {

std::vector<std::uint8_t> sha256(const void* data, std::size_t size);
inline std::vector<std::uint8_t> sha256(std::string_view data) {
  return sha256(data.data(), data.size());
}
inline std::vector<std::uint8_t> sha256(const std::vector<std::uint8_t>& data) {
  return sha256(data.data(), data.size());
}

}  // namespace model_signing::crypto
