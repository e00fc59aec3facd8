// The bundle verifier against real bundles, each test a targeted mutation
// that must fail with a message naming the check.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include "crypto/digest.h"
#include "crypto/ec_key.h"
#include "crypto/signature.h"
#include "crypto/x509.h"
#include "sigstore/tlog/checkpoint.h"
#include "support/expect_error.h"
#include "support/sigstore/sigstore_test_support.h"
#include "support/test_pki.h"
#include "support/test_support.h"
#include "util/encoding.h"

namespace model_signing::sigstore::testing {
namespace {

using ::testing::HasSubstr;

struct Case {
  json bundle;
  json root;
  Artifact artifact = conformance_artifact();
  VerificationPolicy policy = conformance_identity();
  std::string error() const { return verify_error(bundle, root, artifact, policy); }
  std::string error(const BundleVerifierOptions& options) const {
    return model_signing::testing::error_message([&] {
      BundleVerifier(to_root(root), options).verify(to_bundle(bundle), artifact, policy);
    });
  }
};

// happy-path-v0.3: a hashedrekord 0.0.1 entry with SET and inclusion proof
// in the production Rekor, certificate from production Fulcio.
Case v03() {
  return {read_json(conformance_case("happy-path-v0.3") / "bundle.sigstore.json"),
          production_root_json()};
}

json& entry(Case& c) { return c.bundle["verificationMaterial"]["tlogEntries"][0]; }

TEST(BundleVerifier, AcceptsTheUnmodifiedBundle) {
  Case c = v03();
  EXPECT_EQ(c.error(), "");
  BundleVerificationResult result =
      BundleVerifier(to_root(c.root)).verify(to_bundle(c.bundle), c.artifact, c.policy);
  ASSERT_EQ(result.timestamps.size(), 1u);
  EXPECT_EQ(result.timestamps[0].source, VerifiedTimestamp::Source::kTransparencyLog);
  EXPECT_EQ(format_time(result.timestamps[0].time), "2024-03-19T17:26:26Z");
}

TEST(BundleVerifier, BadSignedEntryTimestamp) {
  Case c = v03();
  flip_base64_byte(entry(c)["inclusionPromise"]["signedEntryTimestamp"], 10);
  EXPECT_THAT(c.error(), HasSubstr("signed entry timestamp (SET) does not verify"));
}

TEST(BundleVerifier, ChangedIntegratedTimeBreaksTheSet) {
  Case c = v03();
  entry(c)["integratedTime"] = "1710869187";
  EXPECT_THAT(c.error(), HasSubstr("signed entry timestamp (SET) does not verify"));
}

TEST(BundleVerifier, BadInclusionProofHash) {
  Case c = v03();
  flip_base64_byte(entry(c)["inclusionProof"]["hashes"][3], 31);
  EXPECT_THAT(c.error(), HasSubstr("inclusion proof does not verify"));
}

TEST(BundleVerifier, WrongTreeSize) {
  Case c = v03();
  auto& proof = entry(c)["inclusionProof"];
  proof["treeSize"] = std::to_string(std::stoll(proof["treeSize"].get<std::string>()) + 1);
  EXPECT_THAT(c.error(), HasSubstr("inclusion proof"));
  EXPECT_THAT(c.error(), HasSubstr("tree size"));
}

TEST(BundleVerifier, WrongLeafIndex) {
  Case c = v03();
  auto& proof = entry(c)["inclusionProof"];
  proof["logIndex"] = std::to_string(std::stoll(proof["logIndex"].get<std::string>()) - 1);
  EXPECT_THAT(c.error(), HasSubstr("inclusion proof"));
}

// Re-signs the checkpoint's note with another P-256 key.
void resign_checkpoint(Case& c, bool keep_key_hint) {
  std::string& text = entry(c)["inclusionProof"]["checkpoint"]["envelope"].get_ref<std::string&>();
  SignedCheckpoint cp = parse_checkpoint(text);
  crypto::PkeyPtr other(model_signing::testing::generate_key("P-256"));
  Bytes sig = crypto::sign_message(other.get(), EVP_sha256(), cp.body);
  Bytes hint = cp.signatures.at(0).key_hint;
  if (!keep_key_hint) {
    hint = crypto::sha256(crypto::public_key_spki_der(other.get()));
    hint.resize(4);
  }
  Bytes line = hint;
  line.insert(line.end(), sig.begin(), sig.end());
  text = cp.body + "\n\xE2\x80\x94 " + cp.signatures[0].name + " " + util::base64_encode(line) + "\n";
}

TEST(BundleVerifier, CheckpointSignedByAnotherKey) {
  Case c = v03();
  resign_checkpoint(c, /*keep_key_hint=*/true);
  EXPECT_THAT(c.error(), HasSubstr("checkpoint signature by transparency log rekor.sigstore.dev does not verify"));
  Case d = v03();
  resign_checkpoint(d, /*keep_key_hint=*/false);
  EXPECT_THAT(d.error(), HasSubstr("checkpoint is not signed by transparency log rekor.sigstore.dev"));
}

TEST(BundleVerifier, CheckpointForAnotherRootHash) {
  Case c = v03();
  // A self-consistent checkpoint from another entry of the same log.
  json other = read_json(conformance_case("happy-path-v0.1") / "bundle.sigstore.json");
  entry(c)["inclusionProof"]["checkpoint"] =
      other["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["checkpoint"];
  EXPECT_THAT(c.error(), HasSubstr("checkpoint is for tree size"));
}

TEST(BundleVerifier, MissingCheckpointIsRejectedForV02AndLater) {
  Case c = v03();
  entry(c)["inclusionProof"].erase("checkpoint");
  EXPECT_THAT(c.error(), HasSubstr("inclusion proof has no signed checkpoint"));
  Case d = v03();
  entry(d).erase("inclusionProof");
  EXPECT_THAT(d.error(), HasSubstr("it has no inclusion proof"));
}

TEST(BundleVerifier, SctFromAnUnknownLog) {
  Case c = v03();
  // The certificate's SCT is from ctfe.sigstore.dev/2022; keep only the other CT log.
  json& ctlogs = c.root["ctlogs"];
  ctlogs.erase(ctlogs.begin() + 1);
  EXPECT_THAT(c.error(), HasSubstr("no SCT from a CT log of the trusted root"));
}

TEST(BundleVerifier, SctFromALogWithAnotherKey) {
  Case c = v03();
  // Same log ID, different key: the SCT signature cannot verify.
  crypto::PkeyPtr other(model_signing::testing::generate_key("P-256"));
  c.root["ctlogs"][1]["publicKey"]["rawBytes"] =
      util::base64_encode(crypto::public_key_spki_der(other.get()));
  EXPECT_THAT(c.error(), HasSubstr("SCT from CT log ctfe.sigstore.dev/2022 does not verify"));
}

TEST(BundleVerifier, SctOutsideTheCtLogKeyValidity) {
  Case c = v03();
  c.root["ctlogs"][1]["publicKey"]["validFor"] = {{"start", "2022-10-20T00:00:00Z"},
                                                   {"end", "2023-01-01T00:00:00Z"}};
  EXPECT_THAT(c.error(), HasSubstr("outside the log key's validity"));
}

TEST(BundleVerifier, TlogKeyOutsideItsValidityWindow) {
  Case c = v03();
  c.root["tlogs"][0]["publicKey"]["validFor"] = {{"start", "2021-01-12T11:53:27Z"},
                                                  {"end", "2024-03-19T17:26:25Z"}};
  EXPECT_THAT(c.error(),
              HasSubstr("the key of transparency log rekor.sigstore.dev was not valid at the "
                        "entry's integrated time 2024-03-19T17:26:26Z"));
  // The window is closed: ending exactly at the integrated time is fine.
  c.root["tlogs"][0]["publicKey"]["validFor"]["end"] = "2024-03-19T17:26:26Z";
  EXPECT_EQ(c.error(), "");
}

TEST(BundleVerifier, TlogKeyWithoutValidityStart) {
  Case c = v03();
  c.root["tlogs"][0]["publicKey"].erase("validFor");
  EXPECT_THAT(c.error(), HasSubstr("has no validity start"));
}

TEST(BundleVerifier, FulcioCaOutsideItsValidityWindow) {
  Case c = v03();
  for (auto& ca : c.root["certificateAuthorities"]) {
    ca["validFor"]["end"] = "2024-01-01T00:00:00Z";
  }
  EXPECT_THAT(c.error(), HasSubstr("does not chain to a trusted Fulcio CA"));
  EXPECT_THAT(c.error(), HasSubstr("outside its validity"));
}

TEST(BundleVerifier, BodyOfAnotherEntry) {
  Case c = v03();
  // A genuine entry of the same log, with valid SET and proof, for another signature.
  json other = read_json(conformance_case("happy-path-v0.1") / "bundle.sigstore.json");
  entry(c) = other["verificationMaterial"]["tlogEntries"][0];
  EXPECT_THAT(c.error(), HasSubstr("entry body does not match the bundle"));
}

TEST(BundleVerifier, EntryFromAnUntrustedLog) {
  Case c = v03();
  c.root = read_json(model_signing::testing::shared_dir() / "sigstore" / "trust" / "staging" /
                     "trusted_root.json");
  EXPECT_THAT(c.error(), HasSubstr("is not a transparency log of the trusted root"));
}

TEST(BundleVerifier, UnsupportedEntryType) {
  Case c = v03();
  entry(c)["kindVersion"]["kind"] = "rekord";
  EXPECT_THAT(c.error(), HasSubstr("entry type rekord 0.0.1 is not supported"));
}

TEST(BundleVerifier, KindVersionThatIsNotTheBodys) {
  Case c = v03();
  entry(c)["kindVersion"]["kind"] = "dsse";
  EXPECT_THAT(c.error(), HasSubstr("entry body does not match the bundle: it is a hashedrekord 0.0.1"));
}

TEST(BundleVerifier, NoTransparencyLogEntries) {
  Case c = v03();
  c.bundle["verificationMaterial"]["tlogEntries"] = json::array();
  EXPECT_THAT(c.error(), HasSubstr("no transparency log entries (verificationMaterial.tlogEntries)"));
}

TEST(BundleVerifier, V01BundleNeedsASet) {
  Case c{read_json(conformance_case("happy-path-v0.1") / "bundle.sigstore.json"),
         production_root_json()};
  EXPECT_EQ(c.error(), "");
  entry(c).erase("inclusionPromise");
  EXPECT_THAT(c.error(), HasSubstr("which a v0.1 bundle requires"));
}

TEST(BundleVerifier, WrongArtifact) {
  Case c = v03();
  c.artifact = Artifact::from_bytes("not a.txt");
  EXPECT_THAT(c.error(), HasSubstr("entry body does not match the bundle: it records a different sha256 digest"));
}

TEST(BundleVerifier, MessageSignatureNeedsTheArtifact) {
  Case c = v03();
  c.artifact = Artifact::none();
  EXPECT_THAT(c.error(), HasSubstr("holds a message signature: verifying it needs the artifact"));
}

TEST(BundleVerifier, ArtifactGivenAsDigest) {
  Case c = v03();
  std::string a_txt = model_signing::testing::read_file(conformance_dir() / "a.txt");
  c.artifact = Artifact::from_sha256(crypto::sha256(a_txt));
  EXPECT_EQ(c.error(), "");
  c.artifact = Artifact::from_sha256(crypto::sha256(a_txt + "x"));
  EXPECT_THAT(c.error(), HasSubstr("different sha256 digest"));
}

TEST(BundleVerifier, MessageSignatureOverAnotherMessage) {
  Case c = v03();
  // Keep the log entry consistent but change what the bundle claims was signed.
  c.bundle["messageSignature"]["messageDigest"]["digest"] =
      util::base64_encode(crypto::sha256(std::string("other")));
  EXPECT_THAT(c.error(), HasSubstr("message digest is not the artifact's SHA2_256 digest"));
}

TEST(BundleVerifier, IdentityAndIssuerMustMatchExactly) {
  Case c = v03();
  c.policy.identity->subject_alternative_name += "x";
  EXPECT_THAT(c.error(), HasSubstr("signing certificate identity mismatch"));
  Case d = v03();
  d.policy.identity->oidc_issuer = "https://token.actions.githubusercontent.com/";
  EXPECT_THAT(d.error(), HasSubstr("OIDC issuer mismatch"));
}

TEST(BundleVerifier, CertificateBundleNeedsAnIdentity) {
  Case c = v03();
  c.policy = VerificationPolicy{};
  EXPECT_THAT(c.error(), HasSubstr("needs the expected identity"));
}

TEST(BundleVerifier, ChainWithARootCertificate) {
  Case c{read_json(conformance_case("bundle-with-root-cert_fail") / "bundle.sigstore.json"),
         production_root_json(), Artifact::from_file(conformance_case("bundle-with-root-cert_fail") / "artifact")};
  EXPECT_THAT(c.error(), HasSubstr("contains a root (self-signed) certificate"));
}

TEST(BundleVerifier, DsseSubjectMustBeTheArtifact) {
  Case c{read_json(conformance_case("happy-path-intoto-in-dsse-v3") / "bundle.sigstore.json"),
         production_root_json()};
  EXPECT_EQ(c.error(), "");
  c.artifact = Artifact::from_bytes("something else");
  EXPECT_THAT(c.error(), HasSubstr("is not a subject of the signed in-toto statement"));
  c.artifact = Artifact::none();
  EXPECT_EQ(c.error(), "");
}

TEST(BundleVerifier, DsseEnvelopeSignature) {
  Case c{read_json(conformance_case("happy-path-intoto-in-dsse-v3") / "bundle.sigstore.json"),
         production_root_json()};
  // A changed payload type keeps the log entry (dsse 0.0.1 hashes the payload only)
  // but breaks the envelope signature.
  c.bundle["dsseEnvelope"]["payloadType"] = "application/vnd.in-toto+json ";
  c.artifact = Artifact::none();
  EXPECT_THAT(c.error(), HasSubstr("DSSE envelope signature does not verify"));
}

// Rekor v2 (staging log2025-alpha1), hashedrekord 0.0.2 with a TSA timestamp.
Case rekor2() {
  return {read_json(conformance_case("rekor2-happy-path") / "bundle.sigstore.json"),
          read_json(conformance_case("rekor2-happy-path") / "trusted_root.json")};
}

TEST(BundleVerifierRekorV2, AcceptsTheUnmodifiedBundle) {
  Case c = rekor2();
  BundleVerificationResult result =
      BundleVerifier(to_root(c.root)).verify(to_bundle(c.bundle), c.artifact, c.policy);
  ASSERT_EQ(result.timestamps.size(), 1u);
  EXPECT_EQ(result.timestamps[0].source, VerifiedTimestamp::Source::kTimestampAuthority);
}

TEST(BundleVerifierRekorV2, NeedsATimestamp) {
  Case c = rekor2();
  c.bundle["verificationMaterial"].erase("timestampVerificationData");
  EXPECT_THAT(c.error(), HasSubstr("Rekor v2 entry, which carries no integrated time, but no RFC 3161"));
}

// The policy is options; the defaults are what the tests above verify with.
TEST(BundleVerifierOptions, DefaultsAreTheClientSpecsRequirements) {
  BundleVerifierOptions defaults;
  EXPECT_EQ(defaults.min_tlog_entries, 1u);
  EXPECT_EQ(defaults.min_verified_times, 1u);
  EXPECT_EQ(defaults.min_rfc3161_timestamps, 0u);
  EXPECT_TRUE(defaults.rekor_v2_requires_timestamp);
}

TEST(BundleVerifierOptions, MinimumNumbersOfLogEntriesAndTimestamps) {
  Case c = v03();  // one log entry with a SET, no RFC 3161 timestamp
  BundleVerifierOptions options;
  EXPECT_EQ(c.error(options), "");
  options.min_tlog_entries = 2;
  EXPECT_THAT(c.error(options),
              HasSubstr("bundle has 1 transparency log entries that verify; the policy requires at "
                        "least 2"));
  options = {};
  options.min_rfc3161_timestamps = 1;
  EXPECT_THAT(c.error(options), HasSubstr("0 RFC 3161 timestamps that verify"));
  options = {};
  options.min_verified_times = 2;
  EXPECT_THAT(c.error(options), HasSubstr("1 verified times that verify; the policy requires at least 2"));
}

TEST(BundleVerifierOptions, ALogEntryCanBeMadeOptional) {
  // (The bundle JSON parser already refuses a certificate bundle without
  // entries; the verifier's rule is checked on the parsed bundle.)
  Case c = v03();
  Bundle bundle = to_bundle(c.bundle);
  bundle.verification_material.tlog_entries.clear();
  auto verify = [&](const BundleVerifierOptions& options) {
    return model_signing::testing::error_message(
        [&] { BundleVerifier(to_root(c.root), options).verify(bundle, c.artifact, c.policy); });
  };
  EXPECT_THAT(verify({}), HasSubstr("no transparency log entries"));
  BundleVerifierOptions options;
  options.min_tlog_entries = 0;
  // Without the entry there is no verified time left: the next rule speaks.
  EXPECT_THAT(verify(options), HasSubstr("bundle has no verified time"));
  // An entry that is present must verify whatever the minimum.
  Case broken = v03();
  flip_base64_byte(entry(broken)["inclusionPromise"]["signedEntryTimestamp"], 10);
  EXPECT_THAT(broken.error(options), HasSubstr("signed entry timestamp (SET) does not verify"));
}

TEST(BundleVerifierOptions, RekorV2TimestampRequirementIsAnOption) {
  Case c = rekor2();
  c.bundle["verificationMaterial"].erase("timestampVerificationData");
  BundleVerifierOptions options;
  options.rekor_v2_requires_timestamp = false;
  // The Rekor v2 rule no longer speaks; a v2 entry is no verified time, so
  // the minimum of one verified time does.
  EXPECT_THAT(c.error(options), HasSubstr("bundle has no verified time"));
  EXPECT_THAT(c.error(), HasSubstr("Rekor v2 entry, which carries no integrated time"));
}

TEST(BundleVerifierRekorV2, LogKeyMustBeValidAtTheTimestamp) {
  Case c = rekor2();
  c.root["tlogs"][1]["publicKey"]["validFor"]["end"] = "2025-05-01T00:00:00Z";
  EXPECT_THAT(c.error(), HasSubstr("log2025-alpha1.rekor.sigstage.dev was not valid at RFC 3161 timestamp 0"));
}

TEST(BundleVerifierRekorV2, CheckpointOriginMustNameTheLog) {
  Case c = rekor2();
  c.root["tlogs"][1]["baseUrl"] = "https://log2025-alpha9.rekor.sigstage.dev";
  EXPECT_THAT(c.error(), HasSubstr("checkpoint origin 'log2025-alpha1.rekor.sigstage.dev' does not name"));
}

TEST(BundleVerifierRekorV2, TimestampOverAnotherSignature) {
  Case c = rekor2();
  json other = read_json(conformance_case("rekor2-timestamp-with-embedded-cert") / "bundle.sigstore.json");
  c.bundle["verificationMaterial"]["timestampVerificationData"] =
      other["verificationMaterial"]["timestampVerificationData"];
  EXPECT_THAT(c.error(), HasSubstr("RFC 3161 timestamp"));
  EXPECT_THAT(c.error(), HasSubstr("does not verify against a trusted timestamp authority"));
}

TEST(BundleVerifierRekorV2, TsaOutsideItsValidityWindow) {
  Case c = rekor2();
  c.root["timestampAuthorities"][0]["validFor"]["end"] = "2025-06-01T00:00:00Z";
  EXPECT_THAT(c.error(), HasSubstr("genTime is outside its validity"));
}

// The leaf must be valid at every verified time, including a genuine
// timestamp from a trusted TSA.
TEST(BundleVerifier, LeafOutsideTheTimestamp) {
  TestTimestampAuthority tsa;
  Case c = v03();
  c.root["timestampAuthorities"].push_back(tsa.trusted_root_entry());
  Bytes signature =
      *util::base64_decode(c.bundle["messageSignature"]["signature"].get<std::string>());
  auto add_timestamp = [&](std::time_t when) {
    c.bundle["verificationMaterial"]["timestampVerificationData"] = {
        {"rfc3161Timestamps", json::array({{{"signedTimestamp", util::base64_encode(tsa.timestamp(signature, when))}}})}};
  };
  // Within the leaf's ten minutes: both times check out.
  add_timestamp(unix_seconds("2024-03-19T17:26:30Z"));
  EXPECT_EQ(c.error(), "");
  // A day later the leaf has expired.
  add_timestamp(unix_seconds("2024-03-20T17:26:30Z"));
  EXPECT_THAT(c.error(), HasSubstr("signing certificate does not chain to a trusted Fulcio CA"));
  EXPECT_THAT(c.error(), HasSubstr("certificate with an empty subject is not valid at "
                                   "2024-03-20T17:26:30Z (valid [2024-03-19 17:26:26Z, "
                                   "2024-03-19 17:36:26Z]) (RFC 3161 timestamp 0)"));
  // A timestamp over something else is rejected outright.
  c.bundle["verificationMaterial"]["timestampVerificationData"] = {
      {"rfc3161Timestamps", json::array({{{"signedTimestamp", util::base64_encode(tsa.timestamp(Bytes{1, 2, 3}, unix_seconds("2024-03-19T17:26:30Z")))}}})}};
  EXPECT_THAT(c.error(), HasSubstr("does not verify against a trusted timestamp authority"));
}

TEST(BundleVerifier, ManagedKeyBundle) {
  const auto dir = conformance_case("managed-key-happy-path");
  Case c{read_json(dir / "bundle.sigstore.json"), production_root_json()};
  c.policy = VerificationPolicy{};
  c.policy.public_key_pem = model_signing::testing::read_file(dir / "key.pub");
  EXPECT_EQ(c.error(), "");
  // Another key of the same type is not the signer.
  crypto::PkeyPtr other(model_signing::testing::generate_key("P-256"));
  c.policy.public_key_pem = crypto::public_key_spki_pem(other.get());
  EXPECT_THAT(c.error(), HasSubstr("entry body does not match the bundle: it records a different public key"));
  // And a key bundle cannot be verified by identity.
  c.policy = conformance_identity();
  EXPECT_THAT(c.error(), HasSubstr("signed with a managed public key"));
}

}  // namespace
}  // namespace model_signing::sigstore::testing

namespace model_signing::sigstore::testing {
namespace {

// One verifier shared by threads: the lazily decoded trust material must
// be safe to first-use concurrently (run under TSan too).
TEST(BundleVerifier, IsSafeToShareBetweenThreads) {
  json bundle = read_json(conformance_case("happy-path-v0.3") / "bundle.sigstore.json");
  Bundle parsed = to_bundle(bundle);
  BundleVerifier verifier(to_root(production_root_json()));
  VerificationPolicy policy = conformance_identity();
  Artifact artifact = conformance_artifact();
  std::atomic<int> ok{0};
  std::vector<std::thread> threads;
  for (int i = 0; i < 4; ++i) {
    threads.emplace_back([&] {
      try {
        verifier.verify(parsed, artifact, policy);
        ++ok;
      } catch (...) {
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(ok.load(), 4);
}

}  // namespace
}  // namespace model_signing::sigstore::testing
