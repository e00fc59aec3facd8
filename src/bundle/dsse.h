// DSSE pre-authentication encoding.
#pragma once

#include <string>
#include <string_view>

namespace model_signing::dsse {

// "DSSEv1" SP len(type) SP type SP len(payload) SP payload
std::string pae(std::string_view payload_type, std::string_view payload);

// The encoding model_signing v0.2.0 signed by mistake:
// "DSSEV1 " len(type) " " type " " len(payload) " " repr(payload), where
// repr is Python's bytes repr (b'...'), signed with SHA-256 whatever the
// curve. Only ever used to verify.
std::string legacy_v020_pae(std::string_view payload_type, std::string_view payload);

// Python's repr() of a bytes object.
std::string python_bytes_repr(std::string_view bytes);

}  // namespace model_signing::dsse
