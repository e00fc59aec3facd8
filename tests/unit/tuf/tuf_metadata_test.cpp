// TUF metadata parsing and verification on hand-built metadata: canonical
// JSON, key types, threshold counting, hostile documents, delegation paths,
// and the real Sigstore TUF roots.
#include <gtest/gtest.h>

#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <functional>

#include <nlohmann/json.hpp>

#include "crypto/digest.h"
#include "crypto/ec_key.h"
#include "model_signing/tuf.h"
#include "crypto/signature.h"
#include "support/test_support.h"
#include "tuf/canonical_json.h"
#include "tuf/delegation_paths.h"
#include "tuf/metadata.h"
#include "tuf/trusted_metadata.h"
#include "util/encoding.h"

namespace model_signing::tuf {
namespace {

using nlohmann::json;

// A private key and its TUF key object.
struct TestKey {
  crypto::PkeyPtr key;
  json public_json;
  std::string keyid;
  bool pss = false;
  const EVP_MD* md = nullptr;

  std::string sign(const std::string& message) const {
    if (!pss) return util::to_hex(crypto::sign_message(key.get(), md, message));
    crypto::MdCtxPtr ctx(EVP_MD_CTX_new());
    EVP_PKEY_CTX* pctx = nullptr;
    std::size_t len = 0;
    const auto* data = reinterpret_cast<const unsigned char*>(message.data());
    EXPECT_EQ(EVP_DigestSignInit(ctx.get(), &pctx, md, nullptr, key.get()), 1);
    EVP_PKEY_CTX_set_rsa_padding(pctx, RSA_PKCS1_PSS_PADDING);
    EVP_PKEY_CTX_set_rsa_pss_saltlen(pctx, RSA_PSS_SALTLEN_DIGEST);
    EVP_DigestSign(ctx.get(), nullptr, &len, data, message.size());
    std::vector<std::uint8_t> sig(len);
    EXPECT_EQ(EVP_DigestSign(ctx.get(), sig.data(), &len, data, message.size()), 1);
    sig.resize(len);
    return util::to_hex(sig);
  }
};

TestKey make_key(const std::string& type) {
  TestKey k;
  if (type == "ed25519") {
    k.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
    std::string der = crypto::public_key_spki_der(k.key.get());
    std::string raw = der.substr(der.size() - 32);
    k.public_json = {{"keytype", "ed25519"}, {"scheme", "ed25519"},
                     {"keyval", {{"public", util::to_hex(reinterpret_cast<const std::uint8_t*>(raw.data()), 32)}}}};
  } else if (type == "ecdsa" || type == "ecdsa-p384") {
    bool p384 = type == "ecdsa-p384";
    k.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", p384 ? "P-384" : "P-256"));
    k.md = p384 ? EVP_sha384() : EVP_sha256();
    k.public_json = {{"keytype", "ecdsa"},
                     {"scheme", p384 ? "ecdsa-sha2-nistp384" : "ecdsa-sha2-nistp256"},
                     {"keyval", {{"public", crypto::public_key_spki_pem(k.key.get())}}}};
  } else {
    k.key.reset(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<size_t>(type == "rsa1024" ? 1024 : 2048)));
    k.md = EVP_sha256();
    k.pss = true;
    k.public_json = {{"keytype", "rsa"}, {"scheme", "rsassa-pss-sha256"},
                     {"keyval", {{"public", crypto::public_key_spki_pem(k.key.get())}}}};
  }
  k.keyid = util::to_hex(crypto::sha256(olpc_canonical_json(k.public_json)));
  return k;
}

std::string sign_document(const json& signed_part, const std::vector<const TestKey*>& keys) {
  std::string canonical = olpc_canonical_json(signed_part);
  json doc = {{"signed", signed_part}, {"signatures", json::array()}};
  for (const TestKey* k : keys) doc["signatures"].push_back({{"keyid", k->keyid}, {"sig", k->sign(canonical)}});
  return doc.dump(1);
}

json root_signed(const std::vector<const TestKey*>& root_keys, int threshold, int version = 1) {
  json s = {{"_type", "root"}, {"spec_version", "1.0.31"}, {"version", version},
            {"expires", "2030-01-01T00:00:00Z"}, {"consistent_snapshot", true}, {"keys", json::object()}};
  for (const TestKey* k : root_keys) s["keys"][k->keyid] = k->public_json;
  json ids = json::array();
  for (const TestKey* k : root_keys) ids.push_back(k->keyid);
  for (const char* role : {"root", "timestamp", "snapshot", "targets"}) {
    s["roles"][role] = {{"keyids", ids}, {"threshold", threshold}};
  }
  return s;
}

template <typename F>
std::string error_of(F f) {
  try {
    f();
  } catch (const TufError& e) {
    return e.what();
  }
  return "";
}

TEST(TufCanonicalJson, IsOlpcNotRfc8785) {
  json value = json::parse(R"({"b": [1, -2, true, null], "a": "line\nquote\" back\\ tab\t é", "A": {}})");
  EXPECT_EQ(olpc_canonical_json(value),
            "{\"A\":{},\"a\":\"line\nquote\\\" back\\\\ tab\t é\",\"b\":[1,-2,true,null]}");
  EXPECT_THROW(olpc_canonical_json(json::parse("{\"x\": 1.5}")), std::invalid_argument);
  EXPECT_EQ(olpc_canonical_json(json::parse("18446744073709551615")), "18446744073709551615");
  std::string deep(100, '[');
  deep += std::string(100, ']');
  EXPECT_THROW(olpc_canonical_json(json::parse(deep)), std::invalid_argument);
}

TEST(TufKeys, EveryKeyTypeVerifiesItsOwnSignatures) {
  for (const std::string type : {"ed25519", "ecdsa", "ecdsa-p384", "rsa"}) {
    TestKey k = make_key(type);
    TufKey key = parse_key(k.public_json);
    ASSERT_TRUE(key.usable()) << type << ": " << key.unusable_reason;
    std::string sig = k.sign("message");
    EXPECT_TRUE(verify_signature(key, "message", sig)) << type;
    EXPECT_FALSE(verify_signature(key, "messagf", sig)) << type;
    EXPECT_FALSE(verify_signature(key, "message", "")) << type;
    EXPECT_FALSE(verify_signature(key, "message", "zz")) << type;
  }
}

TEST(TufKeys, UnsupportedOrMismatchedKeysAreUnusableNotErrors) {
  TestKey p256 = make_key("ecdsa");
  json legacy = p256.public_json;  // the keytype of older Sigstore roots
  legacy["keytype"] = "ecdsa-sha2-nistp256";
  EXPECT_TRUE(parse_key(legacy).usable());
  json wrong_curve = p256.public_json;
  wrong_curve["scheme"] = "ecdsa-sha2-nistp384";
  EXPECT_FALSE(parse_key(wrong_curve).usable());
  json unknown = p256.public_json;
  unknown["scheme"] = "ecdsa-sha2-nistp521-future";
  EXPECT_FALSE(parse_key(unknown).usable());
  json mismatch = p256.public_json;
  mismatch["keytype"] = "rsa";
  EXPECT_FALSE(parse_key(mismatch).usable());
  EXPECT_FALSE(parse_key(make_key("rsa1024").public_json).usable());
  EXPECT_FALSE(parse_key({{"keytype", "ed25519"}, {"scheme", "ed25519"}, {"keyval", {{"public", "abcd"}}}}).usable());
  EXPECT_FALSE(parse_key({{"keytype", "ed25519"}, {"scheme", "ed25519"}, {"keyval", json::object()}}).usable());
  EXPECT_THROW(parse_key({{"keytype", 1}, {"scheme", "ed25519"}, {"keyval", json::object()}}), std::invalid_argument);
  EXPECT_THROW(parse_key({{"keytype", "ed25519"}, {"scheme", "ed25519"}}), std::invalid_argument);
  EXPECT_THROW(parse_key(json::array()), std::invalid_argument);
}

TEST(TufThreshold, CountsDistinctKeysOnce) {
  TestKey a = make_key("ed25519"), b = make_key("ecdsa");
  json s = root_signed({&a, &b}, 2);
  // The same signature twice: one key.
  json doc = json::parse(sign_document(s, {&a}));
  doc["signatures"].push_back(doc["signatures"][0]);
  EXPECT_NE(error_of([&] { TrustedMetadata(doc.dump(), std::nullopt); })
                .find("TUF root.json: signed by 1 of the 2 required keys of its own root role"),
            std::string::npos);
  // The same key under a second keyid, both listed for the role: one key.
  json twice = s;
  std::string alias = std::string(64, 'f');
  twice["keys"][alias] = a.public_json;
  twice["roles"]["root"]["keyids"] = {a.keyid, alias};
  json doc2 = json::parse(sign_document(twice, {&a}));
  doc2["signatures"].push_back({{"keyid", alias}, {"sig", doc2["signatures"][0]["sig"]}});
  EXPECT_NE(error_of([&] { TrustedMetadata(doc2.dump(), std::nullopt); }).find("signed by 1 of the 2"),
            std::string::npos);
  // Both keys: accepted.
  EXPECT_NO_THROW(TrustedMetadata(sign_document(s, {&a, &b}), std::nullopt));
}

TEST(TufThreshold, UnknownKeysAndBadSignaturesDoNotCount) {
  TestKey a = make_key("ed25519"), b = make_key("ed25519");
  json s = root_signed({&a, &b}, 2);
  s["keys"][b.keyid]["scheme"] = "quantum-2040";  // unusable
  Root root = parse_root(sign_document(s, {&a, &b}), "root.json");
  EXPECT_EQ(count_valid_signatures(root, root.keys, root.roles["root"]), 1u);
  // A signature by a key the role does not list, and one that is wrong.
  TestKey stranger = make_key("ed25519");
  json doc = json::parse(sign_document(root_signed({&a}, 1), {&stranger}));
  EXPECT_NE(error_of([&] { TrustedMetadata(doc.dump(), std::nullopt); }).find("signed by 0 of the 1"),
            std::string::npos);
  doc = json::parse(sign_document(root_signed({&a}, 1), {&a}));
  std::string sig = doc["signatures"][0]["sig"];
  sig[10] = sig[10] == '0' ? '1' : '0';
  doc["signatures"][0]["sig"] = sig;
  EXPECT_NE(error_of([&] { TrustedMetadata(doc.dump(), std::nullopt); }).find("signed by 0 of the 1"),
            std::string::npos);
}

TEST(TufMetadata, UnknownFieldsAreSignedOver) {
  TestKey a = make_key("ecdsa");
  json s = root_signed({&a}, 1);
  s["x-custom"] = {{"nested", {1, 2, "three"}}};
  s["keys"][a.keyid]["x-owner"] = "@someone";
  s["roles"]["root"]["x-period"] = 5;
  EXPECT_NO_THROW(TrustedMetadata(sign_document(s, {&a}), std::nullopt));
  // Changing an unknown field after signing breaks the signature.
  json doc = json::parse(sign_document(s, {&a}));
  doc["signed"]["x-custom"] = "other";
  EXPECT_NE(error_of([&] { TrustedMetadata(doc.dump(), std::nullopt); }).find("signed by 0 of the 1"),
            std::string::npos);
}

// Each mutation of a valid root's document, and the words the error must hold.
TEST(TufMetadata, HostileRootsFailClosedWithOneLine) {
  TestKey a = make_key("ed25519");
  json good = json::parse(sign_document(root_signed({&a}, 1), {&a}));
  std::vector<std::pair<std::function<void(json&)>, std::string>> cases = {
      {[](json& d) { d = json::array(); }, "the document is not an object"},
      {[](json& d) { d.erase("signed"); }, "the document.signed is missing"},
      {[](json& d) { d["signatures"] = "x"; }, "signatures is not an array"},
      {[](json& d) { d["signatures"][0]["keyid"] = 5; }, "signatures[0].keyid is not a string"},
      {[](json& d) { d["signed"]["_type"] = "targets"; }, "signed._type is \"targets\", not \"root\""},
      {[](json& d) { d["signed"]["spec_version"] = "2.0.0"; }, "spec_version \"2.0.0\" is not a supported"},
      {[](json& d) { d["signed"]["spec_version"] = "1"; }, "is not a supported version"},
      {[](json& d) { d["signed"]["version"] = 0; }, "signed.version is not a positive integer"},
      {[](json& d) { d["signed"]["version"] = -3; }, "signed.version is not a positive integer"},
      {[](json& d) { d["signed"]["version"] = "1"; }, "signed.version is not a positive integer"},
      {[](json& d) { d["signed"]["version"] = true; }, "signed.version is not a positive integer"},
      {[](json& d) { d["signed"]["version"] = 1.0; }, "signed holds a floating-point number"},
      {[](json& d) { d["signed"]["expires"] = "2030-01-01T00:00:00+00:00"; }, "is not YYYY-MM-DDTHH:MM:SSZ"},
      {[](json& d) { d["signed"]["expires"] = "2030-02-30T00:00:00Z"; }, "is not YYYY-MM-DDTHH:MM:SSZ"},
      {[](json& d) { d["signed"]["keys"] = json::array(); }, "signed.keys is not an object"},
      {[](json& d) { d["signed"]["keys"].begin()->erase("keytype"); }, "\"keytype\" is missing or not a string"},
      {[](json& d) { d["signed"]["roles"].erase("timestamp"); }, "signed.roles.timestamp is missing"},
      {[](json& d) { d["signed"]["roles"]["root"]["threshold"] = 0; }, "threshold is not a positive integer"},
      {[](json& d) {
         auto& ids = d["signed"]["roles"]["snapshot"]["keyids"];
         ids.push_back(ids[0]);
       },
       "signed.roles.snapshot.keyids lists"},
      {[](json& d) { d["signed"]["consistent_snapshot"] = "yes"; }, "consistent_snapshot is not a boolean"},
  };
  for (const auto& [mutate, words] : cases) {
    json doc = good;
    mutate(doc);
    std::string message = error_of([&] { parse_root(doc.dump(), "root.json"); });
    EXPECT_NE(message.find("TUF root.json: "), std::string::npos) << words;
    EXPECT_NE(message.find(words), std::string::npos) << message;
    EXPECT_EQ(message.find('\n'), std::string::npos) << message;
  }
  for (const std::string bytes : {"", "{", "not json", "\xff\xfe", "[[[[[[[[", "{\"signed\":{}}"}) {
    EXPECT_FALSE(error_of([&] { parse_root(bytes, "root.json"); }).empty()) << bytes;
  }
  std::string deep =
      "{\"signed\":{\"a\":" + std::string(100000, '[') + std::string(100000, ']') + "},\"signatures\":[]}";
  EXPECT_NE(error_of([&] { parse_root(deep, "root.json"); }).find("nested too deeply"), std::string::npos);
  std::string huge = good.dump();
  huge.replace(huge.find("\"version\":1"), 11, "\"version\":123456789012345678901234567890");
  EXPECT_FALSE(error_of([&] { parse_root(huge, "root.json"); }).empty());
}

TEST(TufMetadata, HostileTargetsAndSnapshots) {
  json base = {{"_type", "targets"}, {"spec_version", "1.0"}, {"version", 1},
               {"expires", "2030-01-01T00:00:00Z"}, {"targets", json::object()}};
  auto targets_error = [&](const std::function<void(json&)>& mutate) {
    json s = base;
    mutate(s);
    return error_of([&] { parse_targets(json{{"signed", s}, {"signatures", json::array()}}.dump(), "t.json"); });
  };
  EXPECT_EQ(targets_error([](json&) {}), "");
  EXPECT_NE(targets_error([](json& s) { s["targets"]["a"] = {{"length", 1}}; }).find("signed.targets.a.hashes is missing"),
            std::string::npos);
  EXPECT_NE(targets_error([](json& s) { s["targets"]["a"] = {{"length", -1}, {"hashes", {{"sha256", "00"}}}}; })
                .find("length is not a non-negative integer"),
            std::string::npos);
  EXPECT_NE(targets_error([](json& s) { s["targets"]["a"] = {{"length", 1}, {"hashes", json::object()}}; })
                .find("hashes is empty"),
            std::string::npos);
  json role = {{"name", "r"}, {"keyids", json::array()}, {"threshold", 1}, {"terminating", false}, {"paths", {"*"}}};
  // json::array: a one-element braced list is an array under GCC but a copy under clang.
  auto with_roles = [&](json roles) {
    return [roles](json& s) { s["delegations"] = {{"keys", json::object()}, {"roles", roles}}; };
  };
  EXPECT_EQ(targets_error(with_roles(json::array({role}))), "");
  json both = role;
  both["path_hash_prefixes"] = {"ab"};
  EXPECT_NE(targets_error(with_roles(json::array({both}))).find("has both paths and path_hash_prefixes"), std::string::npos);
  EXPECT_NE(targets_error(with_roles({role, role})).find("delegates to \"r\" twice"), std::string::npos);
  json top = role;
  top["name"] = "snapshot";
  EXPECT_NE(targets_error(with_roles(json::array({top}))).find("is not a valid delegated role name"), std::string::npos);
  json no_terminating = role;
  no_terminating.erase("terminating");
  EXPECT_NE(targets_error(with_roles(json::array({no_terminating}))).find("terminating is missing"), std::string::npos);
  EXPECT_NE(targets_error([](json& s) {
              s["delegations"] = {{"keys", json::object()}, {"succinct_roles", json::object()}};
            }).find("succinct_roles"),
            std::string::npos);

  json snapshot = {{"_type", "snapshot"}, {"spec_version", "1.0.0"}, {"version", 2},
                   {"expires", "2030-01-01T00:00:00Z"}, {"meta", {{"targets.json", {{"version", 0}}}}}};
  EXPECT_NE(error_of([&] { parse_snapshot(json{{"signed", snapshot}, {"signatures", json::array()}}.dump(), "snapshot.json"); })
                .find("signed.meta.targets.json.version is not a positive integer"),
            std::string::npos);
  json timestamp = {{"_type", "timestamp"}, {"spec_version", "1.0.0"}, {"version", 2},
                    {"expires", "2030-01-01T00:00:00Z"}, {"meta", json::object()}};
  EXPECT_NE(error_of([&] { parse_timestamp(json{{"signed", timestamp}, {"signatures", json::array()}}.dump(), "timestamp.json"); })
                .find("signed.meta.snapshot.json is missing"),
            std::string::npos);
}

TEST(TufMetadata, LengthAndHashChecks) {
  std::string data = "abc";
  std::map<std::string, std::string> hashes = {
      {"sha256", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
      {"sha512", "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd"
                 "454d4423643ce80e2a9ac94fa54ca49f"}};
  EXPECT_NO_THROW(verify_length_and_hashes(data, 3, hashes, "x", "y.json"));
  EXPECT_TRUE(matches_hashes(data, hashes));
  EXPECT_NE(error_of([&] { verify_length_and_hashes(data, 4, hashes, "x", "y.json"); })
                .find("TUF x: 3 bytes, but y.json lists 4"),
            std::string::npos);
  auto wrong = hashes;
  wrong["sha512"][0] = 'e';
  EXPECT_NE(error_of([&] { verify_length_and_hashes(data, 3, wrong, "x", "y.json"); })
                .find("its sha512 hash differs from the one y.json lists"),
            std::string::npos);
  EXPECT_FALSE(matches_hashes(data, wrong));
  auto unknown = hashes;
  unknown["md5"] = "900150983cd24fb0d6963f7d28e17f72";
  EXPECT_NE(error_of([&] { verify_length_and_hashes(data, 3, unknown, "x", "y.json"); })
                .find("unsupported algorithm \"md5\""),
            std::string::npos);
  EXPECT_FALSE(matches_hashes(data, unknown));
}

TEST(TufDelegationPaths, ShellPatternsPerSegment) {
  EXPECT_TRUE(path_matches_pattern("targets/foo.tgz", "targets/*.tgz"));
  EXPECT_FALSE(path_matches_pattern("targets/foo.txt", "targets/*.tgz"));
  EXPECT_TRUE(path_matches_pattern("foo-version-2.tgz", "foo-version-?.tgz"));
  EXPECT_FALSE(path_matches_pattern("foo-version-alpha.tgz", "foo-version-?.tgz"));
  EXPECT_TRUE(path_matches_pattern("foo.tgz", "*.tgz"));
  EXPECT_FALSE(path_matches_pattern("targets/foo.tgz", "*.tgz"));
  EXPECT_FALSE(path_matches_pattern("a/b/c", "*"));
  EXPECT_TRUE(path_matches_pattern("a/b/c", "*/*/*"));
  EXPECT_TRUE(path_matches_pattern("file7.bin", "file[0-9].bin"));
  EXPECT_FALSE(path_matches_pattern("filex.bin", "file[0-9].bin"));
  EXPECT_TRUE(path_matches_pattern("filex.bin", "file[!0-9].bin"));
  EXPECT_TRUE(path_matches_pattern("a[b", "a[b"));
  EXPECT_TRUE(path_matches_pattern("", ""));
  EXPECT_TRUE(path_matches_pattern("abc", "***"));
  // Pathological backtracking stays linear.
  EXPECT_FALSE(path_matches_pattern(std::string(5000, 'a'), std::string(50, '*') + "b"));

  DelegatedRole role;
  role.path_hash_prefixes = std::vector<std::string>{"ba78"};  // sha256("abc")
  EXPECT_TRUE(role_covers_path(role, "abc"));
  EXPECT_FALSE(role_covers_path(role, "abd"));
  DelegatedRole nothing;
  EXPECT_FALSE(role_covers_path(nothing, "abc"));
}

TEST(TufExpires, StrictFormat) {
  EXPECT_EQ(format_expires(*parse_expires("2026-11-20T13:58:18Z")), "2026-11-20T13:58:18Z");
  EXPECT_TRUE(parse_expires("9999-12-31T23:59:59Z"));
  EXPECT_FALSE(parse_expires("2026-11-20T13:58:18.5Z"));
  EXPECT_FALSE(parse_expires("2026-11-20 13:58:18Z"));
  EXPECT_FALSE(parse_expires("2026-13-20T13:58:18Z"));
  EXPECT_FALSE(parse_expires("2026-11-20T24:00:00Z"));
}

// The Sigstore roots that bootstrap the public-good instances: each is
// signed by a threshold of its own root keys (production: 3 of 5, staging:
// 2 of 4), whatever its expiry.
TEST(TufSigstoreRoots, ProductionAndStagingRootsVerify) {
  for (const std::string instance : {"production", "staging"}) {
    std::string bytes = testing::read_file(testing::shared_dir() / "sigstore" / "tuf" / instance / "root.json");
    Root root = parse_root(bytes, "root.json");
    for (const auto& [keyid, key] : root.keys) {
      EXPECT_TRUE(key.usable()) << instance << " " << keyid << ": " << key.unusable_reason;
      EXPECT_EQ(key.scheme, "ecdsa-sha2-nistp256");
    }
    EXPECT_TRUE(root.consistent_snapshot);
    std::size_t valid = count_valid_signatures(root, root.keys, root.roles["root"]);
    EXPECT_GE(valid, root.roles["root"].threshold) << instance;
    EXPECT_NO_THROW(TrustedMetadata(bytes, std::nullopt)) << instance;
    // One changed byte in "signed" and the signatures no longer hold.
    std::string tampered = bytes;
    tampered.replace(tampered.find("\"version\": "), 11, "\"version\":  ");
    EXPECT_NO_THROW(TrustedMetadata(tampered, std::nullopt));  // whitespace is not signed
    tampered.replace(tampered.find("\"expires\": \"20"), 14, "\"expires\": \"21");
    EXPECT_THROW(TrustedMetadata(tampered, std::nullopt), TufError) << instance;
  }
  std::string production = testing::read_file(testing::shared_dir() / "sigstore" / "tuf" / "production" / "root.json");
  Root root = parse_root(production, "root.json");
  EXPECT_EQ(root.version, 15u);
  EXPECT_EQ(count_valid_signatures(root, root.keys, root.roles["root"]), 5u);
  EXPECT_EQ(root.roles["root"].threshold, 3u);
  // Loading an expired trusted root is allowed (5.2); only the final root's
  // expiry stops an update (5.3.10).
  TrustedMetadata later(production, *parse_expires("2030-01-01T00:00:00Z"));
  EXPECT_NE(error_of([&] { later.check_root_fresh(); }).find("TUF root.json: version 15 expired at 2026-11-20T13:58:18Z"),
            std::string::npos);
  TrustedMetadata earlier(production, *parse_expires("2026-01-01T00:00:00Z"));
  EXPECT_NO_THROW(earlier.check_root_fresh());
}

}  // namespace
}  // namespace model_signing::tuf
