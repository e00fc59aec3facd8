// OCI image manifests (and Docker v2 manifests) whose layers are a model's
// files, as ORAS and ModelPack push them: one raw-file layer per file, named
// by its org.opencontainers.image.title annotation.
#include <map>
#include <string>

#include "manifest/resource_path.h"
#include "model_signing/digest_sources.h"
#include "model_signing/error.h"
#include "util/encoding.h"
#include "util/json_util.h"

namespace model_signing {

namespace {

using json_util::json;

constexpr std::string_view kOciManifest = "application/vnd.oci.image.manifest.v1+json";
constexpr std::string_view kDockerManifest = "application/vnd.docker.distribution.manifest.v2+json";
constexpr std::string_view kOciIndex = "application/vnd.oci.image.index.v1+json";
constexpr std::string_view kDockerList = "application/vnd.docker.distribution.manifest.list.v2+json";
// ORAS marks a directory it packed into a (gzipped) tar layer.
constexpr const char* kOrasUnpack = "io.deis.oras.content.unpack";

[[noreturn]] void bad(const std::string& why) {
  throw Error(ErrorKind::kInvalidArgument, "OCI manifest: " + why);
}

bool ends_with(std::string_view text, std::string_view suffix) {
  return text.size() >= suffix.size() && text.substr(text.size() - suffix.size()) == suffix;
}

// Why a layer of this media type is not a file's raw bytes, or nullptr.
const char* not_raw_reason(std::string_view media_type) {
  for (std::string_view compression : {"gzip", "zstd", "bzip2", "xz", "lz4"}) {
    std::string plus = "+" + std::string(compression);
    std::string dot = "." + std::string(compression);
    if (ends_with(media_type, plus) || ends_with(media_type, dot)) return "is compressed";
  }
  // ModelPack (and its CNAI predecessor) says .raw for a file's bytes and
  // .tar for an archive of it.
  for (std::string_view prefix : {"application/vnd.cncf.model.", "application/vnd.cnai.model."}) {
    if (media_type.rfind(prefix, 0) == 0 && ends_with(media_type, ".tar")) return "is a tar archive";
  }
  return nullptr;
}

std::string layer_context(std::size_t index, const std::string& title) {
  std::string context = "layer " + std::to_string(index);
  if (!title.empty()) context += " ('" + util::printable(title) + "')";
  return context;
}

OciLayer parse_layer(const json& layer, std::size_t index) {
  if (!layer.is_object()) bad("layer " + std::to_string(index) + " is not an object");
  OciLayer out;
  const json* annotations = json_util::find(layer, "annotations");
  if (annotations) {
    if (!annotations->is_object()) bad("layer " + std::to_string(index) + " annotations are not an object");
    if (const json* title = json_util::find(*annotations, std::string(kOciTitleAnnotation).c_str())) {
      if (!title->is_string()) bad("layer " + std::to_string(index) + " title is not a string");
      out.title = title->get<std::string>();
    }
  }
  const json* digest = json_util::find(layer, "digest");
  const std::string context = layer_context(index, out.title);
  if (out.title.empty()) {
    std::string which = digest && digest->is_string() ? " (" + util::printable(digest->get<std::string>()) + ")" : "";
    bad(context + which + " has no " + std::string(kOciTitleAnnotation) +
        " annotation: every layer must name the file it holds");
  }
  if (auto problem = resource_path_problem(out.title)) {
    bad(context + " title " + std::string(*problem));
  }
  const json* media_type = json_util::find(layer, "mediaType");
  if (!media_type || !media_type->is_string()) bad(context + " has no mediaType");
  out.media_type = media_type->get<std::string>();
  if (const char* why = not_raw_reason(out.media_type)) {
    bad(context + " " + why + " (" + util::printable(out.media_type) +
        "): only layers holding a file's raw bytes can be signed as files");
  }
  if (annotations && json_util::find(*annotations, kOrasUnpack)) {
    bad(context + " is a directory ORAS packed into an archive: only layers holding a file's raw "
                  "bytes can be signed as files");
  }
  if (!digest || !digest->is_string()) bad(context + " has no digest");
  std::string text = digest->get<std::string>();
  std::size_t colon = text.find(':');
  std::string algorithm = text.substr(0, colon);
  if (colon == std::string::npos || algorithm != "sha256") {
    bad(context + " has a " + (colon == std::string::npos ? "malformed" : util::printable(algorithm)) +
        " digest: only sha256 layer digests can be signed");
  }
  std::string hex = text.substr(colon + 1);
  bool lower_hex = hex.size() == 64 && hex.find_first_not_of("0123456789abcdef") == std::string::npos;
  if (!lower_hex) bad(context + " digest is not 64 lower-case hex digits");
  out.sha256 = *util::from_hex(hex);
  const json* size = json_util::find(layer, "size");
  if (!size || !size->is_number_integer() || size->get<std::int64_t>() < 0) {
    bad(context + " size is not a non-negative integer");
  }
  out.size = size->get<std::uint64_t>();
  return out;
}

}  // namespace

std::vector<OciLayer> parse_oci_manifest(std::string_view text) {
  json doc;
  try {
    doc = json_util::parse(text, "OCI manifest");
  } catch (const Error& e) {
    throw Error(ErrorKind::kInvalidArgument, e.what());
  }
  if (!doc.is_object()) bad("expected a JSON object");
  std::string media_type;
  if (const json* type = json_util::find(doc, "mediaType")) {
    if (!type->is_string()) bad("mediaType is not a string");
    media_type = type->get<std::string>();
  }
  if (media_type == kOciIndex || media_type == kDockerList || (media_type.empty() && doc.contains("manifests"))) {
    bad("this is an image index (a list of manifests): pass the manifest of one image");
  }
  if (!media_type.empty() && media_type != kOciManifest && media_type != kDockerManifest) {
    bad("unsupported mediaType '" + util::printable(media_type) + "' (expected " +
        std::string(kOciManifest) + " or " + std::string(kDockerManifest) + ")");
  }
  const json* version = json_util::find(doc, "schemaVersion");
  if (!version || !version->is_number_integer() || version->get<std::int64_t>() != 2) {
    bad("schemaVersion must be 2");
  }
  const json* layers = json_util::find(doc, "layers");
  if (!layers || !layers->is_array()) bad("no layers array");
  if (layers->empty()) bad("the manifest has no layers");
  std::vector<OciLayer> out;
  std::map<std::string, std::size_t> seen;
  for (std::size_t i = 0; i < layers->size(); ++i) {
    out.push_back(parse_layer((*layers)[i], i));
    auto [it, added] = seen.emplace(out.back().title, i);
    if (!added) {
      bad("layers " + std::to_string(it->second) + " and " + std::to_string(i) + " are both titled '" +
          util::printable(out.back().title) + "'");
    }
  }
  return out;
}

Manifest manifest_from_oci_manifest(const std::filesystem::path& model_path, std::string_view json,
                                    const HashingConfig& config) {
  if (config.hash != HashAlgorithm::kSha256) {
    throw Error(ErrorKind::kInvalidArgument, "OCI layer digests are sha256: the hash must be sha256");
  }
  std::vector<FileDigest> digests;
  for (OciLayer& layer : parse_oci_manifest(json)) {
    digests.push_back({std::move(layer.title), std::move(layer.sha256)});
  }
  return manifest_from_digests(model_path, std::move(digests), config);
}

}  // namespace model_signing
