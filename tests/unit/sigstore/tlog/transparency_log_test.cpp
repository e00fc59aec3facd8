// Canonical JSON, Merkle inclusion proofs and signed checkpoints on their own.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "crypto/digest.h"
#include "model_signing/error.h"
#include "sigstore/tlog/canonical_json.h"
#include "sigstore/tlog/checkpoint.h"
#include "sigstore/tlog/merkle.h"
#include "sigstore/tlog/signed_entry_timestamp.h"
#include "sigstore/trust/trust_material.h"
#include "support/expect_error.h"
#include "support/sigstore/sigstore_test_support.h"

namespace model_signing::sigstore::testing {
namespace {

using ::testing::HasSubstr;

using model_signing::testing::error_message;

TEST(CanonicalJson, SortsKeysByUtf16CodeUnits) {
  // RFC 8785 section 3.2.3's example: U+1F600 sorts before U+FB33 in UTF-16.
  json value = json::parse(R"({"\u20ac": 1, "\r": 2, "\ufb33": 3, "1": 4, "\ud83d\ude00": 5,
                               "\u0080": 6, "\u00f6": 7})");
  EXPECT_EQ(canonical_json(value),
            "{\"\\r\":2,\"1\":4,\"\xC2\x80\":6,\"\xC3\xB6\":7,\"\xE2\x82\xAC\":1,"
            "\"\xF0\x9F\x98\x80\":5,\"\xEF\xAC\xB3\":3}");
}

TEST(CanonicalJson, NumbersAndStringsAsEcmaScript) {
  EXPECT_EQ(canonical_json(json::parse("[1E30, 4.50, 2e-3, 1e-7, 0.000001, 1e21, 1e20, -0.0, "
                                       "333333333.33333329, 1689177396, -5]")),
            "[1e+30,4.5,0.002,1e-7,0.000001,1e+21,100000000000000000000,0,333333333.3333333,"
            "1689177396,-5]");
  EXPECT_EQ(canonical_json(json("\x01\"\\\n\t/\xE2\x82\xAC")), "\"\\u0001\\\"\\\\\\n\\t/\xE2\x82\xAC\"");
  EXPECT_EQ(canonical_json(json::parse(R"({"b": [true, null, {}], "a": {"d": 1, "c": 2}})")),
            R"({"a":{"c":2,"d":1},"b":[true,null,{}]})");
  EXPECT_THAT(error_message([] { canonical_json(json(std::string("\xFF"))); }), HasSubstr("UTF-8"));
}

TEST(SignedEntryTimestamp, PayloadIsTheCanonicalJsonOfTheEntry) {
  TransparencyLogEntry entry;
  entry.canonicalized_body = {'{', '}'};
  entry.integrated_time = 1689177396;
  entry.log_index = 27246492;
  entry.log_id = {0xc0, 0xd2};
  EXPECT_EQ(signed_entry_timestamp_payload(entry),
            R"({"body":"e30=","integratedTime":1689177396,"logID":"c0d2","logIndex":27246492})");
}

// RFC 6962 MTH and PATH, written from the definitions, to check the verifier
// against every leaf of trees of many shapes.
Bytes mth(const std::vector<Bytes>& leaves, std::size_t lo, std::size_t hi) {
  if (hi - lo == 1) return leaves[lo];
  std::size_t k = 1;
  while (k * 2 < hi - lo) k *= 2;
  return merkle::node_hash(mth(leaves, lo, lo + k), mth(leaves, lo + k, hi));
}

void path(const std::vector<Bytes>& leaves, std::size_t m, std::size_t lo, std::size_t hi,
          std::vector<Bytes>& out) {
  if (hi - lo == 1) return;
  std::size_t k = 1;
  while (k * 2 < hi - lo) k *= 2;
  if (m < k) {
    path(leaves, m, lo, lo + k, out);
    out.push_back(mth(leaves, lo + k, hi));
  } else {
    path(leaves, m - k, lo + k, hi, out);
    out.push_back(mth(leaves, lo, lo + k));
  }
}

TEST(Merkle, VerifiesEveryLeafOfTreesUpTo33Leaves) {
  for (std::size_t size = 1; size <= 33; ++size) {
    std::vector<Bytes> leaves;
    for (std::size_t i = 0; i < size; ++i) leaves.push_back(merkle::leaf_hash(std::to_string(i)));
    Bytes root = mth(leaves, 0, size);
    for (std::size_t m = 0; m < size; ++m) {
      std::vector<Bytes> proof;
      path(leaves, m, 0, size, proof);
      EXPECT_EQ(merkle::root_from_inclusion_proof(m, size, leaves[m], proof), root) << size << " " << m;
      if (!proof.empty()) {
        auto bad = proof;
        bad.back()[0] ^= 1;
        EXPECT_NE(merkle::root_from_inclusion_proof(m, size, leaves[m], bad), root);
        bad = proof;
        bad.pop_back();
        EXPECT_THAT(error_message([&] { merkle::root_from_inclusion_proof(m, size, leaves[m], bad); }),
                    HasSubstr("inclusion proof is malformed"));
      }
      auto longer = proof;
      longer.push_back(root);
      EXPECT_THAT(error_message([&] { merkle::root_from_inclusion_proof(m, size, leaves[m], longer); }),
                  HasSubstr("inclusion proof is malformed"));
    }
  }
  EXPECT_THAT(error_message([] { merkle::root_from_inclusion_proof(3, 3, merkle::leaf_hash("x"), {}); }),
              HasSubstr("not below tree size"));
}

TEST(Merkle, LeafHashHasTheRfc6962Prefix) {
  EXPECT_EQ(merkle::leaf_hash(""), crypto::sha256(std::string(1, '\0')));
}

std::string checkpoint_of(const std::string& case_name) {
  json bundle = read_json(conformance_case(case_name) / "bundle.sigstore.json");
  return bundle["verificationMaterial"]["tlogEntries"][0]["inclusionProof"]["checkpoint"]["envelope"];
}

TEST(Checkpoint, ParsesARekorV1Checkpoint) {
  SignedCheckpoint cp = parse_checkpoint(checkpoint_of("happy-path-v0.1"));
  EXPECT_EQ(cp.origin, "rekor.sigstore.dev - 2605736670972794746");
  EXPECT_EQ(cp.tree_size, 23083062u);
  EXPECT_EQ(cp.extensions, std::vector<std::string>{"Timestamp: 1689177396617352539"});
  ASSERT_EQ(cp.signatures.size(), 1u);
  EXPECT_EQ(cp.signatures[0].name, "rekor.sigstore.dev");
  EXPECT_EQ(cp.body.back(), '\n');
}

TEST(Checkpoint, IgnoresCosignaturesAndComputesEd25519KeyHints) {
  SignedCheckpoint cp = parse_checkpoint(checkpoint_of("rekor2-checkpoint-cosigned"));
  ASSERT_EQ(cp.signatures.size(), 2u);
  TrustMaterial trust(to_root(read_json(conformance_case("rekor2-checkpoint-cosigned") / "trusted_root.json")));
  const TrustedLog& log = trust.tlogs().at(1);
  // The C2SP key ID of an Ed25519 log is the first 4 bytes of its log ID here.
  EXPECT_EQ(checkpoint_key_hint(log), Bytes(log.info.log_id.begin(), log.info.log_id.begin() + 4));
  EXPECT_NO_THROW(verify_checkpoint_signature(cp, log));
  // Only the witness line left: nothing from the log.
  cp.signatures.erase(cp.signatures.begin());
  EXPECT_THAT(error_message([&] { verify_checkpoint_signature(cp, log); }), HasSubstr("is not signed by"));
}

TEST(Checkpoint, RejectsMalformedNotes) {
  const std::string good = checkpoint_of("happy-path-v0.1");
  auto without = [&](const std::string& what, const std::string& with = "") {
    std::string text = good;
    text.replace(text.find(what), what.size(), with);
    return text;
  };
  struct Case {
    std::string text;
    std::string expected;
  } cases[] = {
      {"", "it is empty"},
      {without("\n\n", "\n"), "no blank line"},
      {without("rekor.sigstore.dev - 2605736670972794746\n"), "tree size line"},
      {without("Timestamp: 1689177396617352539\n").substr(41), "needs an origin, a tree size and a root hash"},
      {without("23083062", "023083062"), "tree size line"},
      {without("23083062", "-1"), "tree size line"},
      {without("dauhleYK4YyAdxwwDtR0l0KnSOWZdG2bwqHftlanvcI=", "dauhleYK"), "root hash line"},
      {good.substr(0, good.size() - 1), "does not end with a newline"},
      {without("\xE2\x80\x94 ", "- "), "signature line does not start"},
      {without("\xE2\x80\x94 rekor.sigstore.dev ", "\xE2\x80\x94 rekor.sigstore.dev  "), "signature line is not"},
      {good + "\n", "empty line among the signatures"},
      {without("wNI9ajBFAiBxaGyE", "wNI9aj!FAiBxaGyE"), "is not base64"},
      {without("Timestamp", "Time\rstamp"), "carriage return"},
  };
  for (const auto& c : cases) {
    EXPECT_THAT(error_message([&] { parse_checkpoint(c.text); }), HasSubstr(c.expected)) << c.text;
  }
}

TEST(Checkpoint, OriginMustNameTheLog) {
  SignedCheckpoint cp = parse_checkpoint(checkpoint_of("happy-path-v0.1"));
  TrustMaterial trust(to_root(production_root_json()));
  const TrustedLog& log = trust.tlogs().at(0);
  EXPECT_NO_THROW(verify_checkpoint_signature(cp, log));
  cp.origin = "rekor.sigstore.dev.evil - 2605736670972794746";
  EXPECT_THAT(error_message([&] { verify_checkpoint_signature(cp, log); }), HasSubstr("does not name"));
}

}  // namespace
}  // namespace model_signing::sigstore::testing
