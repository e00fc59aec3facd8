// Validly signed bundles with arbitrary contents, made with the library's own
// signing pieces, so tests reach the statement checks that only run after
// the signature has verified.
#pragma once

#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "model_signing/bundle.h"

namespace model_signing::testing {

// A key-method bundle (JSON text) whose DSSE envelope carries `payload` with
// `payload_type`, signed by the PEM EC private key at `private_key`.
std::string key_signed_bundle(const std::filesystem::path& private_key, const std::string& payload,
                              const std::string& payload_type = std::string(kInTotoPayloadType));

// Sets the statement's subject digest to what its resources hash to, so an
// edited statement stays self-consistent.
void recompute_root_digest(nlohmann::json& statement);

// The in-toto statement inside a signature file.
nlohmann::json statement_of(const std::filesystem::path& signature);

}  // namespace model_signing::testing
