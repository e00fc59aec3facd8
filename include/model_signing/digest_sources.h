// Where the digests of a signature come from, when not from hashing every
// file of the model:
//
// - an earlier signature of the same model (incremental re-signing): the
//   digests of unchanged files are taken from it once it has verified;
// - a list of precomputed digests, as sha256sum, b2sum and b3sum print them;
// - an OCI image manifest whose layers are the model's files.
//
//   // Re-sign after editing README.md: only the files that changed are read.
//   model_signing::SigningConfig()
//       .use_key_signer("key.pem")
//       .reuse_digests({.old_signature = "model.sig"})
//       .sign("my-model", "model.sig");
//
//   // Sign what sha256sum printed, without reading the files.
//   model_signing::Manifest manifest = model_signing::manifest_from_digest_list("my-model", text);
//   model_signing::SigningConfig().use_key_signer("key.pem").sign_manifest(manifest, "model.sig");
//
// The signatures are ordinary ones: nothing in them says how the digests
// were obtained, and every verifier accepts them.
#pragma once

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "model_signing/hashing.h"
#include "model_signing/manifest.h"
#include "model_signing/verifying.h"

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing {

// ---- Incremental re-signing -------------------------------------------------

// Reusing the digests of an earlier signature of the model. The old
// signature is verified first; one that does not verify is an error, and
// its serialization (method, hash, shard size) must be the new signing's.
// Files it lists that are unchanged keep their signed digests, new and
// changed files are hashed, and files that are gone drop out.
struct ReuseDigests {
  std::filesystem::path old_signature;
  // Checks the old signature. Null: the signer's own verifier, which the key
  // methods have (their public key: the key, pkcs11-key and PrivateKey
  // signers); the certificate and Sigstore methods must name one.
  std::shared_ptr<Verifier> verifier;
  // Which files changed. Unset: every file whose size and modification time
  // are those the old signature's stat record (stat_record_path()) holds is
  // unchanged. Set: these paths (files, or directories meaning every file
  // below them; relative to the model root, or absolute inside the model;
  // paths that no longer exist are fine) and the files the old signature
  // does not list are hashed, every other file is taken as unchanged.
  std::optional<std::vector<std::filesystem::path>> changed;
};

// Where a signature's stat record lives: "<signature>.stat.json". The record
// lists the size and modification time each signed file had when the
// signature was made, and the SHA-256 of the signature file it belongs to.
// It only says which files are unchanged; the digests reused for them come
// from the old signature, after it has verified.
std::filesystem::path stat_record_path(const std::filesystem::path& signature);

// What a signing read and what it did not.
struct DigestCounts {
  std::uint64_t files_hashed = 0;
  std::uint64_t bytes_hashed = 0;
  std::uint64_t files_reused = 0;  // digests taken from a verified earlier signature
  std::uint64_t bytes_reused = 0;
};

// ---- Precomputed digests ----------------------------------------------------

struct FileDigest {
  std::string path;  // relative to the model root, '/'-separated
  Digest digest;
};

// Parses the output of sha256sum, b2sum or b3sum: one "HEXDIGEST  PATH" line
// per file ("HEXDIGEST *PATH" in binary mode; a line starting with '\' has a
// name escaped as those tools escape it: \\, \n and \r). Blank lines and
// '#' comments are skipped, a "./" prefix is dropped. Every digest must have
// `hash`'s length; every path must be a canonical relative path (no "..",
// no "." or empty components, valid UTF-8) listed once. Throws
// Error(kInvalidArgument) naming the line.
std::vector<FileDigest> parse_digest_list(std::string_view text, HashAlgorithm hash);

// The "files" manifest of `digests` (any order), as hash_model() would make
// it for a model holding exactly those files: named after `model_path`
// (which need not exist), `config.hash` for every digest, and the ignore
// rules applied and recorded as hash_model() applies and records them
// (`config.ignore_paths`, the git paths): a listed file they exclude is
// left out. Throws Error(kInvalidArgument) for an empty list, a duplicate or
// an unsafe path, a digest of the wrong length, or a shards serialization.
Manifest manifest_from_digests(const std::filesystem::path& model_path,
                               std::vector<FileDigest> digests, const HashingConfig& config = {});

// parse_digest_list() with config.hash, then manifest_from_digests().
Manifest manifest_from_digest_list(const std::filesystem::path& model_path, std::string_view text,
                                   const HashingConfig& config = {});

// ---- OCI image manifests ----------------------------------------------------

inline constexpr std::string_view kOciTitleAnnotation = "org.opencontainers.image.title";

struct OciLayer {
  std::string title;       // the org.opencontainers.image.title annotation
  std::string media_type;
  Digest sha256;           // the layer's digest
  std::uint64_t size = 0;  // the layer's size in bytes
};

// Reads an OCI image manifest (application/vnd.oci.image.manifest.v1+json)
// or a Docker image manifest v2 (application/vnd.docker.distribution.
// manifest.v2+json), as `skopeo inspect --raw` and `oras manifest fetch`
// print them. Every layer must carry a title (the file's path in the model)
// and a sha256 digest, and be a file's raw bytes: compressed layers
// (+gzip, +zstd, ...), ModelPack tar layers and directories ORAS packed are
// refused, as their digests are not those of the files. The config blob is
// not a file. Throws Error(kInvalidArgument) naming the layer.
std::vector<OciLayer> parse_oci_manifest(std::string_view json);

// The files/sha256 manifest of an OCI image manifest's layers, made by
// manifest_from_digests() (config.hash must be sha256).
Manifest manifest_from_oci_manifest(const std::filesystem::path& model_path, std::string_view json,
                                    const HashingConfig& config = {});

}  // namespace model_signing
#pragma GCC visibility pop
