#include "seeds.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <cstdint>

#include <nlohmann/json.hpp>

#include "crypto/x509.h"
#include "fuzz_support.h"
#include "model_signing/error.h"
#include "model_signing/hashing.h"
#include "sigstore/tlog/merkle.h"
#include "sources/stat_record.h"
#include "util/encoding.h"
#include "util/file_io.h"

namespace model_signing::fuzz {

namespace fs = std::filesystem;
using nlohmann::json;

namespace {

std::vector<std::string> shared_files(const std::vector<std::string>& suffixes, std::size_t max_size = 1 << 20) {
  std::vector<std::string> out;
  std::error_code ec;
  for (const auto& entry : fs::recursive_directory_iterator(shared_dir(), ec)) {
    if (!entry.is_regular_file()) continue;
    std::string name = entry.path().filename().string();
    for (const auto& suffix : suffixes) {
      if (name.size() >= suffix.size() && name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0 &&
          entry.file_size() <= max_size) {
        out.push_back(util::read_file(entry.path()));
        break;
      }
    }
  }
  return out;
}

std::string bytes_of(const std::string& b64) {
  auto bytes = util::base64_decode(b64);
  return bytes ? std::string(bytes->begin(), bytes->end()) : "";
}

std::string be64(std::uint64_t v) {
  std::string out;
  for (int i = 7; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
  return out;
}

std::string pem_of_der(const std::string& der) {
  auto cert = crypto::parse_certificate_der(Bytes(der.begin(), der.end()));
  BIO* bio = BIO_new(BIO_s_mem());
  PEM_write_bio_X509(bio, cert.get());
  char* data = nullptr;
  long len = BIO_get_mem_data(bio, &data);
  std::string out(data, static_cast<std::size_t>(len));
  BIO_free(bio);
  return out;
}

// The TLS-encoded SCT list inside a certificate's SCT extension.
std::string sct_list_of(const std::string& der) {
  auto cert = crypto::parse_certificate_der(Bytes(der.begin(), der.end()));
  int index = X509_get_ext_by_NID(cert.get(), NID_ct_precert_scts, -1);
  if (index < 0) return "";
  ASN1_OCTET_STRING* data = X509_EXTENSION_get_data(X509_get_ext(cert.get(), index));
  const unsigned char* p = ASN1_STRING_get0_data(data);
  ASN1_OCTET_STRING* inner = d2i_ASN1_OCTET_STRING(nullptr, &p, ASN1_STRING_length(data));
  if (!inner) return "";
  std::string out(reinterpret_cast<const char*>(ASN1_STRING_get0_data(inner)),
                  static_cast<std::size_t>(ASN1_STRING_length(inner)));
  ASN1_OCTET_STRING_free(inner);
  return out;
}

// Statements of the fuzz model, as each serialization writes them.
std::vector<std::string> model_statements() {
  std::vector<std::string> out;
  std::vector<HashingConfig> configs(6);
  configs[1].serialization = Serialization::kShards;
  configs[1].shard_size = 8;
  configs[2].hash = HashAlgorithm::kBlake2b;
  configs[3].hash = HashAlgorithm::kBlake3;
  configs[3].serialization = Serialization::kShards;
  configs[3].shard_size = 4;
  configs[4].ignore_paths = {fuzz_model() / "sub"};
  configs[5].single_file_name = SingleFileName::kDot;
  for (auto& config : configs) {
    config.max_workers = 1;
    out.push_back(statement_json(hash_model(fuzz_model(), config)));
  }
  HashingConfig single;
  out.push_back(statement_json(hash_model(fuzz_model() / "a.bin", single)));
  return out;
}

// The fuzz model's files as sha256sum, b2sum and b3sum list them, each
// after the byte that picks the hash in fuzz_digest_list.
std::vector<std::string> digest_lists() {
  std::vector<std::string> out;
  const HashAlgorithm hashes[] = {HashAlgorithm::kSha256, HashAlgorithm::kBlake2b, HashAlgorithm::kBlake3};
  for (char pick = 0; pick < 3; ++pick) {
    HashingConfig config;
    config.hash = hashes[static_cast<int>(pick)];
    config.max_workers = 1;
    std::string list(1, pick);
    const Manifest manifest = hash_model(fuzz_model(), config);
    for (const auto& item : manifest.items()) {
      list += util::to_hex(item.digest) + (pick == 1 ? " *./" : "  ") + item.path + "\n";
    }
    out.push_back(list);
  }
  const std::string hex(64, 'a');
  out.push_back(std::string(1, '\0') + "# comment\r\n\n\\" + hex + "  a\\nb\\\\c\r\n" + hex + " *sub/d e\n");
  return out;
}

// Image manifests of the fuzz model as ORAS, ModelPack and Docker write them.
std::vector<std::string> oci_manifests() {
  HashingConfig config;
  config.max_workers = 1;
  json layers = json::array();
  const Manifest manifest = hash_model(fuzz_model(), config);
  for (const auto& item : manifest.items()) {
    layers.push_back({{"mediaType", "application/vnd.oci.image.layer.v1.tar"},
                      {"digest", "sha256:" + util::to_hex(item.digest)},
                      {"size", 16},
                      {"annotations", {{"org.opencontainers.image.title", item.path}}}});
  }
  json oras = {{"schemaVersion", 2},
               {"mediaType", "application/vnd.oci.image.manifest.v1+json"},
               {"artifactType", "application/vnd.unknown.artifact.v1"},
               {"config", {{"mediaType", "application/vnd.oci.empty.v1+json"},
                           {"digest", "sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a"},
                           {"size", 2}}},
               {"layers", layers}};
  json modelpack = oras;
  modelpack["artifactType"] = "application/vnd.cncf.model.manifest.v1+json";
  for (auto& layer : modelpack["layers"]) layer["mediaType"] = "application/vnd.cncf.model.weight.v1.raw";
  json docker = oras;
  docker["mediaType"] = "application/vnd.docker.distribution.manifest.v2+json";
  docker.erase("artifactType");
  for (auto& layer : docker["layers"]) layer["mediaType"] = "application/octet-stream";
  return {oras.dump(), modelpack.dump(2), docker.dump()};
}

// A stat record of the fuzz model's files.
std::string stat_record() {
  sources::StatRecord record;
  record.signature_sha256 = std::string(64, '0');
  record.model = fuzz_model().string();
  record.files = {{"a.bin", {16, 1700000000000000000}}, {"sub/b.bin", {5, -1}}, {"empty.bin", {0, 0}}};
  return sources::stat_record_json(record);
}

std::string jwt(const json& claims) {
  return util::base64url_encode(R"({"alg":"ES256","typ":"JWT"})") + "." + util::base64url_encode(claims.dump()) +
         ".c2lnbmF0dXJl";
}

}  // namespace

std::map<std::string, std::vector<std::string>> make_seeds() {
  std::map<std::string, std::vector<std::string>> seeds;
  auto add = [&](const std::string& target, const std::string& input) {
    if (!input.empty()) seeds[target].push_back(input);
  };

  std::vector<std::string> bundles = shared_bundle_files();
  std::vector<std::string> statements = model_statements();
  for (const auto& b : bundles) statements.push_back(payload_of(b));
  for (const auto& s : statements) bundles.push_back(sign_with_fuzz_key(s));

  for (const auto& b : bundles) {
    for (const char* t : {"bundle_parse", "bundle_verify_key", "bundle_verify_certificate", "sigstore_bundle_verify",
                          "json"}) {
      add(t, b);
    }
    json doc = json::parse(b, nullptr, false);
    if (!doc.is_object() || !doc.contains("verificationMaterial")) continue;
    const json& vm = doc["verificationMaterial"];
    std::vector<std::string> certs;
    if (vm.contains("certificate")) certs.push_back(bytes_of(vm["certificate"].value("rawBytes", "")));
    if (vm.contains("x509CertificateChain")) {
      for (const auto& c : vm["x509CertificateChain"].value("certificates", json::array())) {
        certs.push_back(bytes_of(c.value("rawBytes", "")));
      }
    }
    for (const auto& der : certs) {
      if (der.empty()) continue;
      try {
        add("pem", pem_of_der(der));
        add("sct", sct_list_of(der));
      } catch (const Error&) {
      }
    }
    if (vm.contains("tlogEntries")) {
      for (const auto& entry : vm["tlogEntries"]) {
        add("tlog_entry", entry.dump());
        std::string body = bytes_of(entry.value("canonicalizedBody", ""));
        add("rekor_body", body);
        add("canonical_json_rfc8785", body);
        if (entry.contains("inclusionProof")) {
          const json& proof = entry["inclusionProof"];
          if (proof.contains("checkpoint")) add("checkpoint", proof["checkpoint"].value("envelope", ""));
          auto index = std::stoull(proof.value("logIndex", "0"));
          auto size = std::stoull(proof.value("treeSize", "0"));
          Bytes leaf = sigstore::merkle::leaf_hash(body);
          std::string encoded = be64(index) + be64(size) + std::string(leaf.begin(), leaf.end());
          for (const auto& h : proof.value("hashes", json::array())) encoded += bytes_of(h.get<std::string>());
          add("inclusion_proof", encoded);
        }
      }
    }
    if (vm.contains("timestampVerificationData")) {
      for (const auto& t : vm["timestampVerificationData"].value("rfc3161Timestamps", json::array())) {
        add("rfc3161_timestamp", bytes_of(t.value("signedTimestamp", "")));
      }
    }
  }
  for (const auto& s : statements) {
    add("statement", s);
    add("signed_statement", s);
  }
  for (const auto& text : shared_files({"trusted_root.json"})) add("trusted_root", text);
  for (const auto& text : shared_files({"signing_config.v0.2.json", "signing_config.json"})) add("signing_config", text);
  for (const auto& text : shared_files({"custom_trust_config.json"})) add("client_trust_config", text);
  for (const auto& text : shared_files({".pem", ".pub"})) add("pem", text);
  add("pem", util::read_file(fuzz_private_key()));
  add("pem", util::read_file(fuzz_public_key()));
  for (const auto& text : shared_files({"root.json"})) add("tuf_metadata", text);
  for (const auto& text : shared_files({".json"}, 256 << 10)) {
    add("json", text);
    add("canonical_json_rfc8785", text);
    add("canonical_json_olpc", text);
  }
  for (const char* t : {"2021-01-12T11:53:27Z", "2022-12-31T23:59:59.999999999+14:00", "1678-01-01T00:00:00Z",
                        "2261-12-31T23:59:59-00:01", "2024-02-29t00:00:00.5z"}) {
    add("rfc3339", t);
  }
  json claims = {{"iss", "https://accounts.example.com"}, {"sub", "subject"}, {"aud", "sigstore"},
                 {"exp", 1700000600}, {"iat", 1699999990}, {"nbf", 1699999990}, {"email", "a@example.com"}};
  add("jwt", jwt(claims));
  claims["aud"] = json::array({"other", "sigstore"});
  claims["exp"] = 1.7e9;
  add("jwt", jwt(claims));
  add("jwt", jwt(json::object()));
  for (const char* uri :
       {"pkcs11:token=my%20token;object=signing-key?pin-value=1234",
        "pkcs11:model=SoftHSM%20v2;manufacturer=SoftHSM%20project;serial=0123;token=t;id=%01%02;type=private",
        "pkcs11:slot-id=3;object=k?module-name=softhsm2&pin-source=file:/dev/null",
        "pkcs11:library-manufacturer=OpenSC;library-description=x;library-version=1.2;slot-description=s;"
        "slot-manufacturer=m;object=o?module-path=/usr/lib/softhsm/libsofthsm2.so&x-vendor=1"}) {
    add("pkcs11_uri", uri);
  }
  for (const auto& list : digest_lists()) add("digest_list", list);
  for (const auto& manifest : oci_manifests()) {
    add("oci_manifest", manifest);
    add("json", manifest);
  }
  add("stat_record", stat_record());
  return seeds;
}

}  // namespace model_signing::fuzz
