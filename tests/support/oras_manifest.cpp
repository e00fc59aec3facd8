#include "support/oras_manifest.h"

#include <algorithm>

#include "crypto/digest.h"
#include "support/test_support.h"
#include "util/encoding.h"

namespace model_signing::testing {

std::string oras_manifest(const std::vector<OrasLayer>& layers) {
  std::string json =
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
      "\"artifactType\":\"application/vnd.unknown.artifact.v1\",\"config\":{\"mediaType\":"
      "\"application/vnd.oci.empty.v1+json\",\"digest\":\"sha256:"
      "44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a\",\"size\":2,\"data\":\"e30=\"},"
      "\"layers\":[";
  for (std::size_t i = 0; i < layers.size(); ++i) {
    const OrasLayer& layer = layers[i];
    if (i) json += ",";
    json += "{\"mediaType\":\"" + layer.media_type + "\",\"digest\":\"" + layer.digest +
            "\",\"size\":" + std::to_string(layer.size) +
            ",\"annotations\":{\"org.opencontainers.image.title\":\"" + layer.title + "\"}}";
  }
  json += "],\"annotations\":{\"org.opencontainers.image.created\":\"2025-06-01T12:00:00Z\"}}";
  return json;
}

std::vector<OrasLayer> oras_layers_of(const std::filesystem::path& model) {
  std::vector<OrasLayer> layers;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(model)) {
    if (!entry.is_regular_file()) continue;
    std::string contents = read_file(entry.path());
    layers.push_back({entry.path().lexically_relative(model).generic_string(),
                      "sha256:" + util::to_hex(crypto::sha256(contents)), contents.size()});
  }
  std::sort(layers.begin(), layers.end(),
            [](const OrasLayer& a, const OrasLayer& b) { return a.title < b.title; });
  return layers;
}

}  // namespace model_signing::testing
