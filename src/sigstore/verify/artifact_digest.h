// Digests of a verification's artifact, computed once per algorithm.
#pragma once

#include <map>
#include <optional>

#include "crypto/openssl.h"
#include "model_signing/sigstore.h"

namespace model_signing::sigstore {

class ArtifactDigests {
 public:
  explicit ArtifactDigests(const Artifact& artifact);
  // nullopt when the artifact is absent or only known by another digest.
  // Throws Error(kIo) if a file artifact cannot be read.
  std::optional<Bytes> digest(const EVP_MD* md);

 private:
  const Artifact& artifact_;
  std::map<int, std::optional<Bytes>> cache_;
};

}  // namespace model_signing::sigstore
