// The artifact a bundle is verified against (sigstore::Artifact), and its digests.
#include "sigstore/verify/artifact_digest.h"

#include <fstream>

#include "crypto/key_algorithm.h"
#include "model_signing/error.h"

namespace model_signing::sigstore {

Artifact Artifact::none() { return Artifact(); }

Artifact Artifact::from_bytes(std::string bytes) {
  Artifact a;
  a.kind_ = Kind::kBytes;
  a.bytes_ = std::move(bytes);
  return a;
}

Artifact Artifact::from_file(std::filesystem::path path) {
  Artifact a;
  a.kind_ = Kind::kFile;
  a.path_ = std::move(path);
  return a;
}

Artifact Artifact::from_sha256(Bytes digest) {
  if (digest.size() != 32) {
    throw Error(ErrorKind::kInvalidArgument, "a SHA-256 digest is 32 bytes, got " +
                                                 std::to_string(digest.size()));
  }
  Artifact a;
  a.kind_ = Kind::kSha256;
  a.digest_ = std::move(digest);
  return a;
}

namespace {

Bytes file_digest(const std::filesystem::path& path, const EVP_MD* md) {
  std::error_code ec;
  if (!std::filesystem::is_regular_file(path, ec)) {
    throw Error(ErrorKind::kIo, "artifact " + path.string() + " is not a regular file");
  }
  std::ifstream in(path, std::ios::binary);
  crypto::MdCtxPtr ctx(EVP_MD_CTX_new());
  if (!in || !ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1) {
    throw Error(ErrorKind::kIo, "cannot read artifact " + path.string());
  }
  std::vector<char> buffer(1 << 20);
  while (in) {
    in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
    if (in.gcount() > 0) EVP_DigestUpdate(ctx.get(), buffer.data(), static_cast<std::size_t>(in.gcount()));
  }
  if (in.bad()) throw Error(ErrorKind::kIo, "cannot read artifact " + path.string());
  Bytes out(EVP_MD_get_size(md));
  unsigned int len = 0;
  EVP_DigestFinal_ex(ctx.get(), out.data(), &len);
  out.resize(len);
  return out;
}

}  // namespace

ArtifactDigests::ArtifactDigests(const Artifact& artifact) : artifact_(artifact) {}

std::optional<Bytes> ArtifactDigests::digest(const EVP_MD* md) {
  int nid = EVP_MD_get_type(md);
  if (auto it = cache_.find(nid); it != cache_.end()) return it->second;
  std::optional<Bytes> result;
  switch (artifact_.kind()) {
    case Artifact::Kind::kNone:
      break;
    case Artifact::Kind::kBytes:
      result = crypto::digest_of(md, artifact_.bytes());
      break;
    case Artifact::Kind::kFile:
      result = file_digest(artifact_.path(), md);
      break;
    case Artifact::Kind::kSha256:
      if (nid == NID_sha256) result = artifact_.sha256();
      break;
  }
  cache_[nid] = result;
  return result;
}

}  // namespace model_signing::sigstore
