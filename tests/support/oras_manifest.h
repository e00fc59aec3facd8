// OCI image manifests in the exact shape `oras push` writes (ORAS 1.x,
// image-spec v1.1 packing, compact JSON as Go marshals it): an empty config
// blob, an artifactType, one layer per file with the default file media
// type and an org.opencontainers.image.title annotation, and a creation
// time annotation on the manifest.
#pragma once

#include <cstdint>
#include <filesystem>
#include <string>
#include <vector>

namespace model_signing::testing {

inline constexpr const char* kOrasFileMediaType = "application/vnd.oci.image.layer.v1.tar";

struct OrasLayer {
  std::string title;
  std::string digest;  // "sha256:<hex>"
  std::uint64_t size = 0;
  std::string media_type = kOrasFileMediaType;
};

std::string oras_manifest(const std::vector<OrasLayer>& layers);

// One layer per regular file of `model` (recursively, sorted by name), each
// with the file's sha256 and size: what `oras push REF <files...>` run in
// the model directory records.
std::vector<OrasLayer> oras_layers_of(const std::filesystem::path& model);

}  // namespace model_signing::testing
