// The manifest order, resource names, the in-toto statement in both
// directions with the reading tolerances DESIGN.md lists, and the DSSE
// pre-authentication encodings.
#include <gtest/gtest.h>

#include <algorithm>
#include <random>

#include <nlohmann/json.hpp>

#include "bundle/dsse.h"
#include "crypto/digest.h"
#include "model_signing/bundle.h"
#include "model_signing/error.h"
#include "model_signing/manifest.h"
#include "model_signing/signing.h"
#include "model_signing/verifying.h"
#include "support/signed_statement.h"
#include "support/test_support.h"

namespace model_signing::testing {
namespace {

using nlohmann::json;

ManifestItem file_item(std::string path, char fill = 'a') {
  return ManifestItem{std::move(path), std::nullopt, std::nullopt, Digest(32, static_cast<std::uint8_t>(fill))};
}
ManifestItem shard_item(std::string path, std::uint64_t start, std::uint64_t end) {
  return ManifestItem{std::move(path), start, end, Digest(32, static_cast<std::uint8_t>(start))};
}

std::vector<std::string> names(const std::vector<ManifestItem>& items) {
  std::vector<std::string> out;
  for (const auto& item : items) out.push_back(item.resource_name());
  return out;
}

TEST(ManifestOrder, UpstreamComparesPathComponentsThenNumericOffsets) {
  std::vector<ManifestItem> items = {file_item("a.b"), file_item("a-b"), file_item("a/b"), file_item("a b"),
                                     file_item("b"), file_item("a/b/c")};
  sort_upstream(items);
  // Component-wise ("a" < "a b" < "a-b" < "a.b"), unlike code-point order,
  // which would put "a/b" after "a.b".
  EXPECT_EQ(names(items), (std::vector<std::string>{"a/b", "a/b/c", "a b", "a-b", "a.b", "b"}));

  std::vector<ManifestItem> shards = {shard_item("f", 100, 108), shard_item("f", 16, 24), shard_item("f", 8, 16),
                                      shard_item("f", 0, 8), shard_item("e", 8, 9)};
  sort_upstream(shards);
  EXPECT_EQ(names(shards), (std::vector<std::string>{"e:8:9", "f:0:8", "f:8:16", "f:16:24", "f:100:108"}));
}

// The order is Python's PurePath order: by segments, each compared by its
// bytes. Checked against that definition on random names drawn from bytes
// that sort just below and above '/', NUL and bytes above 0x7f.
TEST(ManifestOrder, UpstreamOrderIsSegmentBySegmentOnRandomNames) {
  auto segments = [](const std::string& path) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t slash; (slash = path.find('/', start)) != std::string::npos; start = slash + 1) {
      out.push_back(path.substr(start, slash - start));
    }
    out.push_back(path.substr(start));
    return out;
  };
  auto by_segments = [&](const ManifestItem& x, const ManifestItem& y) {
    std::vector<std::string> a = segments(x.path), b = segments(y.path);
    auto bytes = [](const std::string& s) { return std::vector<unsigned char>(s.begin(), s.end()); };
    for (std::size_t i = 0; i < a.size() && i < b.size(); ++i) {
      if (a[i] != b[i]) return bytes(a[i]) < bytes(b[i]);
    }
    return a.size() < b.size();
  };
  const std::string alphabet = std::string("/.-0a\xff ", 7) + std::string(1, '\0');
  std::mt19937 random(7);
  std::vector<ManifestItem> items;
  for (int i = 0; i < 2000; ++i) {
    std::string path(1 + random() % 6, 'a');
    for (char& c : path) c = alphabet[random() % alphabet.size()];
    items.push_back(file_item(path));
  }
  sort_upstream(items);
  for (std::size_t i = 1; i < items.size(); ++i) {
    ASSERT_FALSE(by_segments(items[i], items[i - 1])) << i;
  }
}

TEST(ManifestOrder, RootDigestIsSha256OfTheDigestsInOrder) {
  Manifest m("m", SerializationSpec{}, {file_item("x", 'x'), file_item("y", 'y')});
  std::string all(32, 'x');
  all += std::string(32, 'y');
  EXPECT_EQ(m.root_digest(), crypto::sha256(all));
  SerializationSpec blake;
  blake.hash = HashAlgorithm::kBlake2b;
  Manifest b("m", blake, {ManifestItem{"x", std::nullopt, std::nullopt, Digest(64, 1)}});
  EXPECT_EQ(b.root_digest(), crypto::sha256(std::string(64, '\x01')));
}

TEST(ResourceNames, ShardRangesComeFromTheLastTwoColons) {
  ManifestItem item = parse_resource_name("dir/we:ird:name:0:8", true);
  EXPECT_EQ(item.path, "dir/we:ird:name");
  EXPECT_EQ(*item.start, 0u);
  EXPECT_EQ(*item.end, 8u);
  EXPECT_EQ(item.resource_name(), "dir/we:ird:name:0:8");
  EXPECT_EQ(parse_resource_name("plain:name", false).path, "plain:name");
  for (const char* bad : {"a:8", "a:x:8", "a:8:8", "a:9:8", "a:-1:8", "a:0:", "a::8", "a:0:8 ", "0:8",
                          "a:0:99999999999999999999", "a:00:8", "a:0:08", "a:+0:8", "a:0:0008"}) {
    SCOPED_TRACE(bad);
    EXPECT_THROW(parse_resource_name(bad, true), Error);
  }
  // One spelling per shard: the parsed name is the name.
  for (const char* good : {"a:0:8", "a:8:16", "a:10:20", "a:0:1"}) {
    EXPECT_EQ(parse_resource_name(good, true).resource_name(), good);
  }
}

TEST(Algorithms, NamesAndAliases) {
  EXPECT_EQ(parse_hash_algorithm("blake2"), HashAlgorithm::kBlake2b);
  EXPECT_EQ(parse_hash_algorithm("blake2b"), HashAlgorithm::kBlake2b);
  EXPECT_EQ(to_string(HashAlgorithm::kBlake2b), "blake2b");
  EXPECT_EQ(digest_size(HashAlgorithm::kBlake2b), 64u);
  EXPECT_EQ(digest_size(HashAlgorithm::kSha256), 32u);
  EXPECT_THROW(parse_hash_algorithm("sha512"), Error);
  EXPECT_THROW(parse_serialization("tensors"), Error);
  SerializationSpec spec;
  spec.method = Serialization::kShards;
  spec.shard_size = 1000000000;
  EXPECT_EQ(spec.resource_algorithm(), "sha256-sharded-1000000000");
}

// ---------------------------------------------------------------------------

json statement_for(const Manifest& m) { return json::parse(statement_json(m)); }

Manifest read(const json& statement) {
  return manifest_from_statement(std::string(kInTotoPayloadType), statement.dump());
}


TEST(Statement, RoundTripsEveryField) {
  SerializationSpec spec;
  spec.method = Serialization::kShards;
  spec.shard_size = 8;
  spec.hash = HashAlgorithm::kSha256;
  spec.allow_symlinks = true;
  spec.ignore_paths = {".git", "model.sig"};
  Manifest m("my-model", spec, {shard_item("a", 0, 8), shard_item("a", 8, 10), shard_item("b:c", 0, 3)});
  Manifest back = read(statement_for(m));
  EXPECT_EQ(back.model_name(), "my-model");
  EXPECT_EQ(back.items(), m.items());
  EXPECT_EQ(back.serialization().method, Serialization::kShards);
  EXPECT_EQ(back.serialization().shard_size, 8u);
  EXPECT_TRUE(back.serialization().allow_symlinks);
  EXPECT_EQ(back.serialization().ignore_paths, spec.ignore_paths);
  EXPECT_EQ(back.root_digest(), m.root_digest());
}

TEST(Statement, ReadingToleratesUpstreamsVariants) {
  SerializationSpec spec;
  spec.method = Serialization::kShards;
  spec.shard_size = 8;
  Manifest m("m", spec, {shard_item("a", 0, 8), shard_item("a", 8, 12)});
  json st = statement_for(m);
  // Float shard size, bare hash names as algorithm (OMS), any resource order.
  st["predicate"]["serialization"]["shard_size"] = 8.0;
  for (auto& r : st["predicate"]["resources"]) r["algorithm"] = "sha256";
  std::swap(st["predicate"]["resources"][0], st["predicate"]["resources"][1]);
  recompute_root_digest(st);
  Manifest back = read(st);
  EXPECT_EQ(back.serialization().shard_size, 8u);
  EXPECT_EQ(back.items().size(), 2u);
  // ignore_paths spelled with a trailing '/' or a "./" prefix, and absent allow_symlinks.
  st["predicate"]["serialization"]["ignore_paths"] = {".git/", "./notes", "."};
  st["predicate"]["serialization"].erase("allow_symlinks");
  back = read(st);
  EXPECT_EQ(back.serialization().ignore_paths, (std::vector<std::string>{".git", "notes"}));
  EXPECT_FALSE(back.serialization().allow_symlinks);
  // "." names a single-file model (upstream).
  Manifest single("file", SerializationSpec{}, {file_item(".")});
  EXPECT_EQ(read(statement_for(single)).items()[0].path, ".");
  // "blake2" as the resource algorithm of a blake2b manifest.
  SerializationSpec blake;
  blake.hash = HashAlgorithm::kBlake2b;
  json b = statement_for(Manifest("m", blake, {ManifestItem{"x", std::nullopt, std::nullopt, Digest(64, 2)}}));
  b["predicate"]["resources"][0]["algorithm"] = "blake2";
  EXPECT_NO_THROW(read(b));
}

TEST(Statement, ShardsMustMatchTheRecordedShardSize) {
  SerializationSpec spec;
  spec.method = Serialization::kShards;
  spec.shard_size = 8;
  json st = statement_for(Manifest("m", spec, {shard_item("a", 0, 8)}));
  st["predicate"]["resources"][0]["name"] = "a:0:16";
  EXPECT_THROW(read(st), Error);
  st["predicate"]["resources"][0]["name"] = "a:4:8";
  EXPECT_THROW(read(st), Error);
  st["predicate"]["resources"][0]["name"] = "a:0:8";
  st["predicate"]["resources"][0]["algorithm"] = "sha256-sharded-16";
  EXPECT_THROW(read(st), Error);
}

TEST(Statement, LegacyDigestsPredicateReadsAsFilesSha256) {
  json st = {{"_type", "https://in-toto.io/Statement/v1"},
             {"subject",
              {{{"name", "signme-1"}, {"digest", {{"sha256", std::string(64, 'a')}}}},
               {{"name", "signme-2"}, {"digest", {{"sha256", std::string(64, 'b')}}}}}},
             {"predicateType", "https://model_signing/Digests/v0.1"},
             {"predicate", {{"unused", "Unused, just passed due to API requirements"}}}};
  Manifest m = read(st);
  EXPECT_EQ(m.serialization().method, Serialization::kFiles);
  EXPECT_EQ(m.serialization().hash, HashAlgorithm::kSha256);
  EXPECT_EQ(names(m.items()), (std::vector<std::string>{"signme-1", "signme-2"}));
  st["subject"][1]["name"] = "../escape";
  EXPECT_THROW(read(st), Error);
}

// ---------------------------------------------------------------------------

TEST(BundleJson, KeyidMayBeAbsentEmptyOrNullAndTlogEntriesAbsent) {
  json bundle = json::parse(read_file(shared_dir() / "vectors/oms-spec/valid/key.bundle.json"));
  for (json keyid : {json(nullptr), json(""), json("abc")}) {
    bundle["dsseEnvelope"]["signatures"][0]["keyid"] = keyid;
    Bundle b = parse_bundle(bundle.dump());
    EXPECT_EQ(b.dsse_envelope->signatures[0].keyid, keyid.is_string() ? keyid.get<std::string>() : "");
  }
  bundle["dsseEnvelope"]["signatures"][0].erase("keyid");
  bundle["verificationMaterial"].erase("tlogEntries");
  Bundle b = parse_bundle(bundle.dump());
  EXPECT_EQ(b.dsse_envelope->signatures[0].keyid, "");
  EXPECT_FALSE(b.verification_material.tlog_entries_present);
  // What we write: keyid "" and tlogEntries [] kept when present.
  json written = json::parse(serialize_bundle(parse_bundle(read_file(shared_dir() / "vectors/oms-spec/valid/key.bundle.json"))));
  EXPECT_EQ(written["dsseEnvelope"]["signatures"][0]["keyid"], "");
  EXPECT_EQ(written["verificationMaterial"]["tlogEntries"], json::array());
}

TEST(BundleJson, OlderMediaTypesAreReadAndUnknownOnesRejected) {
  json bundle = json::parse(read_file(shared_dir() / "vectors/oms-spec/valid/key.bundle.json"));
  for (const char* type : {"application/vnd.dev.sigstore.bundle+json;version=0.1",
                           "application/vnd.dev.sigstore.bundle+json;version=0.2",
                           "application/vnd.dev.sigstore.bundle+json;version=0.3"}) {
    bundle["mediaType"] = type;
    EXPECT_NO_THROW(parse_bundle(bundle.dump())) << type;
  }
  bundle["mediaType"] = "application/json";
  EXPECT_THROW(parse_bundle(bundle.dump()), Error);
}

// ---------------------------------------------------------------------------

TEST(Dsse, PreAuthenticationEncoding) {
  // The example from the DSSE protocol specification.
  EXPECT_EQ(dsse::pae("http://example.com/HelloWorld", "hello world"),
            "DSSEv1 29 http://example.com/HelloWorld 11 hello world");
  // Lengths are byte counts.
  EXPECT_EQ(dsse::pae("t", "\xc3\xa9"), "DSSEv1 1 t 2 \xc3\xa9");
  EXPECT_EQ(dsse::pae("", ""), "DSSEv1 0  0 ");
}

TEST(Dsse, PythonBytesReprForTheV020Encoding) {
  EXPECT_EQ(dsse::python_bytes_repr("abc"), "b'abc'");
  EXPECT_EQ(dsse::python_bytes_repr("it's"), "b\"it's\"");
  EXPECT_EQ(dsse::python_bytes_repr("it's \"q\""), "b'it\\'s \"q\"'");
  EXPECT_EQ(dsse::python_bytes_repr(std::string("\n\t\r\\\x00\x7f\xff", 7)), "b'\\n\\t\\r\\\\\\x00\\x7f\\xff'");
  EXPECT_EQ(dsse::legacy_v020_pae("t", "{\"a\": 1}\n"), "DSSEV1 1 t 9 b'{\"a\": 1}\\n'");
}

}  // namespace
}  // namespace model_signing::testing
