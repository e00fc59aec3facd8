// The OMS v1.0 example bundles: the valid ones parse (and the key and
// certificate ones verify end to end: they were made with the upstream test
// keys over a model we can rebuild), each invalid one is rejected with a
// message naming what is wrong.
#include <gtest/gtest.h>

#include <algorithm>
#include <map>

#include <nlohmann/json.hpp>

#include "model_signing/bundle.h"
#include "model_signing/error.h"
#include "model_signing/verifying.h"
#include "support/cli_expect.h"
#include "support/expect_error.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;

fs::path oms_dir() { return shared_dir() / "vectors/oms-spec"; }
fs::path upstream_dir() { return shared_dir() / "vectors/model-transparency"; }
fs::path keys_dir() { return upstream_dir() / "keys/certificate"; }

// The model the OMS examples sign ("model": signme-1 and signme-2, with
// ignore-me recorded as ignored); its files are in the upstream vectors.
void build_oms_model(const fs::path& model) {
  fs::create_directories(model);
  fs::copy_file(upstream_dir() / "v1.0.0-elliptic-key/signme-1", model / "signme-1");
  fs::copy_file(upstream_dir() / "v1.0.0-certificate/signme-2", model / "signme-2");
  write_file(model / "ignore-me", "ignored: the signature records it in ignore_paths");
}

TEST(OmsValid, KeyBundleParsesAndVerifies) {
  Bundle bundle = read_bundle_file((oms_dir() / "valid/key.bundle.json").string());
  EXPECT_EQ(bundle.media_type, kBundleMediaTypeV03);
  const VerificationMaterial& vm = bundle.verification_material;
  EXPECT_EQ(vm.kind, VerificationMaterial::Kind::kPublicKey);
  EXPECT_EQ(vm.public_key_hint.value_or(""),
            "e8450dec4eb99dae995da9af1bc2cc9f76ed669ee2e744f57abba763df3e3f8e");
  EXPECT_TRUE(vm.tlog_entries_present);
  EXPECT_TRUE(vm.tlog_entries.empty());
  ASSERT_TRUE(bundle.dsse_envelope);
  EXPECT_EQ(bundle.dsse_envelope->payload_type, kInTotoPayloadType);
  ASSERT_EQ(bundle.dsse_envelope->signatures.size(), 1u);
  EXPECT_EQ(bundle.dsse_envelope->signatures[0].keyid, "");

  TempDir tmp;
  build_oms_model(tmp / "model");
  EXPECT_TRUE(succeeded(run_cli({"verify", "key", (tmp / "model").string(), "--signature",
                                 (oms_dir() / "valid/key.bundle.json").string(), "--public-key",
                                 (keys_dir() / "signing-key-pub.pem").string()}),
                        "Verification succeeded\n"));
  // The signed manifest is what the statement says.
  VerificationResult result = VerifyingConfig()
                                  .use_key_verifier(keys_dir() / "signing-key-pub.pem")
                                  .verify(tmp / "model", oms_dir() / "valid/key.bundle.json");
  EXPECT_EQ(result.manifest.model_name(), "model");
  EXPECT_EQ(result.manifest.items().size(), 2u);
  EXPECT_EQ(digest_hex(result.manifest.root_digest()),
            "92745110b1ab4368471cbe31664e10174e954b113a3df333db860317b2c6dec4");
}

TEST(OmsValid, CertificateBundleParsesAndVerifies) {
  Bundle bundle = read_bundle_file((oms_dir() / "valid/certificate.bundle.json").string());
  const VerificationMaterial& vm = bundle.verification_material;
  EXPECT_EQ(vm.kind, VerificationMaterial::Kind::kX509CertificateChain);
  EXPECT_GE(vm.certificates.size(), 1u);
  EXPECT_TRUE(vm.tlog_entries.empty());

  TempDir tmp;
  build_oms_model(tmp / "model");
  EXPECT_TRUE(succeeded(run_cli({"verify", "certificate", (tmp / "model").string(), "--signature",
                                 (oms_dir() / "valid/certificate.bundle.json").string(),
                                 "--certificate-chain", (keys_dir() / "ca-cert.pem").string()}),
                        "Verification succeeded\n"));
}

TEST(OmsValid, SigstoreBundleParsesAtTheBundleLevel) {
  Bundle bundle = read_bundle_file((oms_dir() / "valid/sigstore.bundle.json").string());
  const VerificationMaterial& vm = bundle.verification_material;
  EXPECT_EQ(vm.kind, VerificationMaterial::Kind::kCertificate);
  EXPECT_EQ(vm.certificates.size(), 1u);
  ASSERT_EQ(vm.tlog_entries.size(), 1u);
  EXPECT_FALSE(vm.tlog_entries[0].canonicalized_body.empty());
  EXPECT_FALSE(vm.rfc3161_timestamps.empty());
  ASSERT_TRUE(bundle.dsse_envelope);
  // Its statement is a well-formed model_signing statement.
  Manifest manifest = manifest_from_statement(bundle.dsse_envelope->payload_type,
                                              bundle.dsse_envelope->payload);
  EXPECT_EQ(manifest.items().size(), 2u);
  // Reading it back and writing it again loses nothing a verifier needs.
  Bundle again = parse_bundle(serialize_bundle(bundle));
  EXPECT_EQ(again.verification_material.certificates, vm.certificates);
  EXPECT_EQ(again.verification_material.tlog_entries.size(), 1u);
  EXPECT_EQ(again.verification_material.rfc3161_timestamps, vm.rfc3161_timestamps);
  EXPECT_EQ(again.dsse_envelope->payload, bundle.dsse_envelope->payload);
}

// What each invalid example must be rejected for: a word of the message.
const std::map<std::string, std::string>& invalid_reasons() {
  static const std::map<std::string, std::string> reasons = {
      {"invalid/empty.bundle.json", "empty document"},
      {"invalid/missing-envelope.bundle.json", "dsseEnvelope"},
      {"invalid/missing-tlog-entries.bundle.json", "tlogEntries"},
      {"invalid/missing-verification-material.bundle.json", "verificationMaterial"},
  };
  return reasons;
}

TEST(OmsInvalid, EveryExampleIsListed) {
  std::vector<std::string> found;
  for (const char* sub : {"invalid", "invalid-payload"}) {
    for (const auto& entry : fs::directory_iterator(oms_dir() / sub)) {
      found.push_back(std::string(sub) + "/" + entry.path().filename().string());
    }
  }
  std::sort(found.begin(), found.end());
  std::vector<std::string> listed;
  for (const auto& [name, reason] : invalid_reasons()) listed.push_back(name);
  listed.push_back("invalid-payload/wrong-predicate.bundle.json");
  std::sort(listed.begin(), listed.end());
  EXPECT_EQ(found, listed);
}

TEST(OmsInvalid, BundleExamplesAreRejectedWhenParsed) {
  for (const auto& [name, reason] : invalid_reasons()) {
    SCOPED_TRACE(name);
    // An init-capture: clang 14 cannot capture a structured binding.
    EXPECT_TRUE(expect_error([&, &file = name] { read_bundle_file((oms_dir() / file).string()); },
                             ErrorKind::kMalformedBundle, reason));
  }
}

TEST(OmsInvalid, BundleExamplesFailVerificationWithOneLine) {
  TempDir tmp;
  build_oms_model(tmp / "model");
  for (const auto& [name, reason] : invalid_reasons()) {
    SCOPED_TRACE(name);
    std::string signature = (oms_dir() / name).string();
    EXPECT_TRUE(one_line_failure(run_cli({"verify", "key", (tmp / "model").string(), "--signature",
                                          signature, "--public-key",
                                          (keys_dir() / "signing-key-pub.pem").string()}),
                                 1, reason));
    EXPECT_TRUE(one_line_failure(run_cli({"verify", "certificate", (tmp / "model").string(),
                                          "--signature", signature, "--certificate-chain",
                                          (keys_dir() / "ca-cert.pem").string()}),
                                 1, reason));
  }
}

TEST(OmsInvalid, WrongPredicateIsRejected) {
  fs::path path = oms_dir() / "invalid-payload/wrong-predicate.bundle.json";
  Bundle bundle = read_bundle_file(path.string());  // well-formed as a bundle
  ASSERT_TRUE(bundle.dsse_envelope);
  EXPECT_TRUE(expect_error(
      [&] {
        manifest_from_statement(bundle.dsse_envelope->payload_type, bundle.dsse_envelope->payload);
      },
      ErrorKind::kMalformedBundle, "predicate type 'https://example.com/wrong-predicate/v1.0'"));
  // End to end it fails closed too (its signature was copied from the valid
  // example, so the signature check already rejects it).
  TempDir tmp;
  build_oms_model(tmp / "model");
  EXPECT_TRUE(one_line_failure(run_cli({"verify", "key", (tmp / "model").string(), "--signature",
                                        path.string(), "--public-key",
                                        (keys_dir() / "signing-key-pub.pem").string()})));
}

TEST(OmsTlogEntries, KeyAndCertificateBundlesMayLackThemSigstoreOnesMayNot) {
  std::string key_bundle = read_file(oms_dir() / "valid/key.bundle.json");
  auto without_tlog = [](std::string text) {
    auto pos = text.find("\"tlogEntries\": []");
    EXPECT_NE(pos, std::string::npos);
    return text.replace(pos, std::string("\"tlogEntries\": []").size(), "\"tlogEntries\": null");
  };
  Bundle parsed = parse_bundle(without_tlog(key_bundle));
  EXPECT_FALSE(parsed.verification_material.tlog_entries_present);

  // A sigstore bundle whose tlogEntries is present but empty.
  std::string sigstore = read_file(oms_dir() / "valid/sigstore.bundle.json");
  nlohmann::json doc = nlohmann::json::parse(sigstore);
  doc["verificationMaterial"]["tlogEntries"] = nlohmann::json::array();
  EXPECT_NE(error_message([&] { parse_bundle(doc.dump()); }).find("tlogEntries"), std::string::npos);
}

}  // namespace
}  // namespace model_signing::testing
