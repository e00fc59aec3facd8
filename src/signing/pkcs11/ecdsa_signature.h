// PKCS#11's CKM_ECDSA returns r || s, each as wide as the curve's order;
// DSSE (and every verifier here and upstream) wants DER ECDSA-Sig-Value.
#pragma once

#include <cstddef>
#include <cstdint>
#include <vector>

namespace model_signing::pkcs11 {

// `raw` must be exactly 2 * field_bytes long. Throws Error(kToken) if not.
std::vector<std::uint8_t> ecdsa_raw_to_der(const std::vector<std::uint8_t>& raw,
                                           std::size_t field_bytes);

}  // namespace model_signing::pkcs11
