// Fixtures the fuzz targets share, made once per process: the shared
// vectors, a fixed signing key, a small model, trusted roots.
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "model_signing/bundle.h"
#include "model_signing/sigstore_trust.h"

namespace model_signing::fuzz {

// ../shared (MS_SHARED_DIR), and a file in it as bytes ("" if unreadable).
std::filesystem::path shared_dir();
std::string read_shared(const std::string& relative);

// A directory for this process's fixtures, removed at exit.
const std::filesystem::path& scratch_dir();

// A fixed P-256 key (fuzz/fuzz_support.cpp), as PEM files in scratch_dir().
const std::filesystem::path& fuzz_private_key();
const std::filesystem::path& fuzz_public_key();

// A key-method bundle (JSON text) whose DSSE envelope carries `payload`,
// validly signed with the fuzz key.
std::string sign_with_fuzz_key(const std::string& payload,
                               const std::string& payload_type = std::string(kInTotoPayloadType));

// A small model: a.bin (16 bytes), sub/b.bin (5 bytes), empty.bin.
const std::filesystem::path& fuzz_model();

// Trusted roots: Sigstore's production instance (embedded), and the custom
// roots of the conformance cases that bring one (Rekor v2, timestamps).
const std::vector<sigstore::TrustedRoot>& trusted_roots();

// The DSSE payload (or "") and every bundle file of the shared vectors.
std::vector<std::string> shared_bundle_files();
std::string payload_of(const std::string& bundle_text);

}  // namespace model_signing::fuzz
