// OCI and Docker image manifests as a digest source: every layer accepted
// has a title and a SHA-256 digest, titles are unique, and the manifest made
// from them lists each at most once.
#include <set>

#include "fuzz_target.h"
#include "model_signing/digest_sources.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(oci_manifest) {
  std::vector<OciLayer> layers;
  if (!run([&] { layers = parse_oci_manifest(input); })) return;
  check(!layers.empty(), "a manifest without layers is accepted");
  std::set<std::string> titles;
  for (const auto& layer : layers) {
    check(!layer.title.empty(), "a layer without a title is accepted");
    check(layer.sha256.size() == 32, "a layer digest is not a SHA-256");
    check(titles.insert(layer.title).second, "two layers with one title are accepted");
  }
  Manifest manifest;
  if (!run([&] { manifest = manifest_from_oci_manifest("model", input); })) return;
  check(manifest.items().size() <= layers.size(), "a manifest lists more files than the layers");
}

}  // namespace model_signing::fuzz
