// OCI image manifests as digest sources: the shapes ORAS, ModelPack and
// Docker write, and the layers that cannot stand for a file's bytes.
#include <gtest/gtest.h>

#include <functional>

#include <nlohmann/json.hpp>

#include "model_signing/digest_sources.h"
#include "model_signing/hashing.h"
#include "support/expect_error.h"
#include "support/oras_manifest.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

using nlohmann::json;

const std::string kDigestA = "sha256:" + std::string(64, 'a');
const std::string kDigestB = "sha256:" + std::string(64, 'b');

json oras_doc() { return json::parse(oras_manifest({{"a.bin", kDigestA, 5}, {"sub/b.bin", kDigestB, 7}})); }

TEST(OciManifest, ReadsTheLayersOfAnOrasPush) {
  auto layers = parse_oci_manifest(oras_manifest({{"a.bin", kDigestA, 5}, {"sub/b.bin", kDigestB, 7}}));
  ASSERT_EQ(layers.size(), 2u);
  EXPECT_EQ(layers[0].title, "a.bin");
  EXPECT_EQ(layers[0].sha256, Digest(32, 0xaa));
  EXPECT_EQ(layers[0].size, 5u);
  EXPECT_EQ(layers[0].media_type, kOrasFileMediaType);
  EXPECT_EQ(layers[1].title, "sub/b.bin");
}

TEST(OciManifest, ReadsModelPackRawLayersAndDockerManifests) {
  json doc = oras_doc();
  doc["artifactType"] = "application/vnd.cncf.model.manifest.v1+json";
  doc["config"] = {{"mediaType", "application/vnd.cncf.model.config.v1+json"}, {"digest", kDigestB}, {"size", 10}};
  doc["layers"][0]["mediaType"] = "application/vnd.cncf.model.weight.v1.raw";
  doc["layers"][0]["annotations"]["org.cncf.model.filepath"] = "a.bin";
  doc["layers"][1]["mediaType"] = "application/vnd.cncf.model.weight.config.v1.raw";
  EXPECT_EQ(parse_oci_manifest(doc.dump(2)).size(), 2u);

  doc = oras_doc();
  doc["mediaType"] = "application/vnd.docker.distribution.manifest.v2+json";
  doc.erase("artifactType");
  doc["layers"][0]["mediaType"] = "application/octet-stream";
  EXPECT_EQ(parse_oci_manifest(doc.dump()).size(), 2u);

  doc.erase("mediaType");  // optional in OCI manifests
  EXPECT_EQ(parse_oci_manifest(doc.dump()).size(), 2u);
}

TEST(OciManifest, ManifestIsFilesOfSha256NamedByTitle) {
  TempDir dir;
  write_file(dir / "model/a.bin", "alpha");
  write_file(dir / "model/sub/b.bin", "bravo");
  Manifest hashed = hash_model(dir / "model", HashingConfig{});
  Manifest from_oci = manifest_from_oci_manifest(dir / "model", oras_manifest(oras_layers_of(dir / "model")));
  EXPECT_EQ(from_oci.items(), hashed.items());
  EXPECT_EQ(statement_json(from_oci), statement_json(hashed));
}

TEST(OciManifest, RefusesWhatIsNotAManifestOfRawFiles) {
  struct Case {
    const char* name;
    std::function<void(json&)> edit;
    std::string needle;
  };
  const Case cases[] = {
      {"missing title", [](json& d) { d["layers"][1].erase("annotations"); },
       "layer 1 (sha256:bbbb"},
      {"missing title names the problem", [](json& d) { d["layers"][0]["annotations"].erase("org.opencontainers.image.title"); },
       "has no org.opencontainers.image.title annotation"},
      {"empty title", [](json& d) { d["layers"][0]["annotations"]["org.opencontainers.image.title"] = ""; },
       "has no org.opencontainers.image.title"},
      {"title not a string", [](json& d) { d["layers"][0]["annotations"]["org.opencontainers.image.title"] = 7; },
       "layer 0 title is not a string"},
      {"absolute title", [](json& d) { d["layers"][0]["annotations"]["org.opencontainers.image.title"] = "/etc/passwd"; },
       "layer 0 ('/etc/passwd') title is an absolute path"},
      {"dot-dot title", [](json& d) { d["layers"][0]["annotations"]["org.opencontainers.image.title"] = "../x"; },
       "title contains a '..' component"},
      {"duplicate title", [](json& d) { d["layers"][1]["annotations"]["org.opencontainers.image.title"] = "a.bin"; },
       "layers 0 and 1 are both titled 'a.bin'"},
      {"sha512 digest", [](json& d) { d["layers"][0]["digest"] = "sha512:" + std::string(128, 'a'); },
       "layer 0 ('a.bin') has a sha512 digest: only sha256 layer digests can be signed"},
      {"digest without algorithm", [](json& d) { d["layers"][0]["digest"] = std::string(64, 'a'); },
       "has a malformed digest"},
      {"short digest", [](json& d) { d["layers"][0]["digest"] = "sha256:abcd"; },
       "digest is not 64 lower-case hex digits"},
      {"upper-case digest", [](json& d) { d["layers"][0]["digest"] = "sha256:" + std::string(64, 'A'); },
       "digest is not 64 lower-case hex digits"},
      {"no digest", [](json& d) { d["layers"][0].erase("digest"); }, "layer 0 ('a.bin') has no digest"},
      {"gzip layer", [](json& d) { d["layers"][0]["mediaType"] = "application/vnd.oci.image.layer.v1.tar+gzip"; },
       "layer 0 ('a.bin') is compressed (application/vnd.oci.image.layer.v1.tar+gzip)"},
      {"zstd layer", [](json& d) { d["layers"][0]["mediaType"] = "application/vnd.oci.image.layer.v1.tar+zstd"; },
       "is compressed"},
      {"docker gzip layer",
       [](json& d) { d["layers"][0]["mediaType"] = "application/vnd.docker.image.rootfs.diff.tar.gzip"; },
       "is compressed"},
      {"modelpack tar layer", [](json& d) { d["layers"][0]["mediaType"] = "application/vnd.cncf.model.weight.v1.tar"; },
       "is a tar archive"},
      {"oras directory", [](json& d) { d["layers"][0]["annotations"]["io.deis.oras.content.unpack"] = "true"; },
       "is a directory ORAS packed"},
      {"negative size", [](json& d) { d["layers"][0]["size"] = -1; }, "size is not a non-negative integer"},
      {"size a string", [](json& d) { d["layers"][0]["size"] = "5"; }, "size is not a non-negative integer"},
      {"no layers", [](json& d) { d["layers"] = json::array(); }, "has no layers"},
      {"layers not an array", [](json& d) { d["layers"] = json::object(); }, "no layers array"},
      {"layer not an object", [](json& d) { d["layers"][0] = "x"; }, "layer 0 is not an object"},
      {"schema version 1", [](json& d) { d["schemaVersion"] = 1; }, "schemaVersion must be 2"},
      {"image index", [](json& d) { d["mediaType"] = "application/vnd.oci.image.index.v1+json"; },
       "this is an image index"},
      {"docker manifest list",
       [](json& d) { d["mediaType"] = "application/vnd.docker.distribution.manifest.list.v2+json"; },
       "this is an image index"},
      {"unknown media type", [](json& d) { d["mediaType"] = "text/plain"; }, "unsupported mediaType 'text/plain'"},
  };
  for (const auto& c : cases) {
    json doc = oras_doc();
    c.edit(doc);
    EXPECT_TRUE(expect_error([&] { parse_oci_manifest(doc.dump()); }, ErrorKind::kInvalidArgument, c.needle))
        << c.name;
  }
  EXPECT_TRUE(expect_error([] { parse_oci_manifest("{\"schemaVersion\": 2,"); }, ErrorKind::kInvalidArgument,
                           "not valid JSON"));
  EXPECT_TRUE(expect_error([] { parse_oci_manifest("[]"); }, ErrorKind::kInvalidArgument, "expected a JSON object"));
  std::string duplicate = oras_manifest({{"a.bin", kDigestA, 5}});
  duplicate.insert(1, "\"layers\":[],");
  EXPECT_TRUE(expect_error([&] { parse_oci_manifest(duplicate); }, ErrorKind::kInvalidArgument, "duplicate key"));
}

}  // namespace
}  // namespace model_signing::testing
