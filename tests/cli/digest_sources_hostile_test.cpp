// Hostile inputs to the issue 17 flags, one row each (the table style of
// hostile_input_test.cpp): malformed digest lists, unsafe or duplicate
// paths, wrong digest lengths, OCI manifests with missing titles, foreign
// digests or compressed layers, old signatures that do not verify or do not
// match, and flag combinations that make no sense. Every row ends in one
// clear line on stderr and exit 1 (2 for usage errors); a failing `sign`
// writes nothing and leaves an existing signature untouched.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <chrono>
#include <functional>

#include <nlohmann/json.hpp>

#include "support/cli_expect.h"
#include "support/oras_manifest.h"
#include "support/test_pki.h"
#include "support/test_support.h"
#include "util/encoding.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class Env {
 public:
  Env() {
    write_file(model() / "a.bin", "alpha");
    write_file(model() / "sub/b.bin", "bravo");
    for (const char* rel : {"a.bin", "sub/b.bin"}) {
      fs::last_write_time(model() / rel, fs::file_time_type::clock::now() - std::chrono::hours(1));
    }
    generate_ec_key("P-256", path("key.pem"), path("key.pub"));
    generate_ec_key("P-256", path("other.pem"), path("other.pub"));
    CommandResult r = run_cli({"sign", "key", model().string(), "--private-key", s("key.pem"), "--signature",
                               s("old.sig"), "--write-stat-record"});
    EXPECT_EQ(r.exit_code, 0) << r.err;
  }
  fs::path path(const std::string& rel) const { return dir_ / rel; }
  std::string s(const std::string& rel) const { return path(rel).string(); }
  fs::path model() const { return dir_ / "model"; }
  fs::path out() const { return dir_ / "out.sig"; }

  std::vector<std::string> sign_key(std::vector<std::string> extra, const std::string& key = "key.pem") const {
    std::vector<std::string> args = {"sign", "key", model().string(), "--private-key", s(key), "--signature",
                                     out().string()};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  std::vector<std::string> verify_key(std::vector<std::string> extra) const {
    std::vector<std::string> args = {"verify", "key", model().string(), "--signature", s("old.sig"),
                                     "--public-key", s("key.pub")};
    args.insert(args.end(), extra.begin(), extra.end());
    return args;
  }
  std::string write(const std::string& rel, const std::string& contents) const {
    write_file(path(rel), contents);
    return s(rel);
  }
  // A digest list of the model as sha256sum writes it, edited by the row.
  std::string sums(const std::string& text) const { return write("SHA256SUMS", text); }
  std::string line(const std::string& name, std::size_t hex_digits = 64) const {
    return std::string(hex_digits, 'a') + "  " + name + "\n";
  }
  std::string oci(const std::function<void(json&)>& edit) const {
    json doc = json::parse(oras_manifest(oras_layers_of(model())));
    edit(doc);
    return write("manifest.json", doc.dump());
  }

 private:
  TempDir dir_;
};

struct Row {
  std::string name;
  std::function<std::vector<std::string>(Env&)> setup;
  std::string needle;
  int code = 1;
  bool writes_out = false;
};

void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }

std::vector<Row> rows() {
  std::vector<Row> r;
  auto sign = [&](std::string name, std::string needle, std::function<std::vector<std::string>(Env&)> setup,
                  int code = 1) { r.push_back({std::move(name), std::move(setup), std::move(needle), code, true}); };
  auto other = [&](std::string name, std::string needle, std::function<std::vector<std::string>(Env&)> setup,
                   int code = 1) { r.push_back({std::move(name), std::move(setup), std::move(needle), code, false}); };

  // --- --from-digests ----------------------------------------------------
  sign("DigestListMalformedLine", "digest list line 2: expected 'HEXDIGEST  PATH'", [](Env& e) {
    return e.sign_key({"--from-digests", e.sums(e.line("a.bin") + "this is not a checksum line\n")});
  });
  sign("DigestListOneSpace", "line 1: expected 'HEXDIGEST  PATH' (two spaces", [](Env& e) {
    return e.sign_key({"--from-digests", e.sums(std::string(64, 'a') + " a.bin\n")});
  });
  sign("DigestListDuplicatePath", "line 3: path 'a.bin' is already listed on line 1", [](Env& e) {
    return e.sign_key({"--from-digests", e.sums(e.line("a.bin") + e.line("sub/b.bin") + e.line("./a.bin"))});
  });
  sign("DigestListAbsolutePath", "line 1: path '/etc/passwd' is an absolute path",
       [](Env& e) { return e.sign_key({"--from-digests", e.sums(e.line("/etc/passwd"))}); });
  sign("DigestListDotDotPath", "path '../outside.bin' contains a '..' component",
       [](Env& e) { return e.sign_key({"--from-digests", e.sums(e.line("../outside.bin"))}); });
  sign("DigestListNonUtf8Path", "path 'bad\\xffname' is not valid UTF-8",
       [](Env& e) { return e.sign_key({"--from-digests", e.sums(e.line("bad\xffname"))}); });
  sign("DigestListTooShortDigest", "line 1: digest has 40 hex digits, but a sha256 digest has 64",
       [](Env& e) { return e.sign_key({"--from-digests", e.sums(e.line("a.bin", 40))}); });
  sign("DigestListBlake2bDigestsForSha256", "digest has 128 hex digits, but a sha256 digest has 64 (choose the hash",
       [](Env& e) { return e.sign_key({"--from-digests", e.sums(e.line("a.bin", 128))}); });
  sign("DigestListSha256DigestsForBlake2b", "digest has 64 hex digits, but a blake2b digest has 128",
       [](Env& e) { return e.sign_key({"--hash", "blake2b", "--from-digests", e.sums(e.line("a.bin"))}); });
  sign("DigestListBadEscape", "line 1: unknown escape in file name",
       [](Env& e) { return e.sign_key({"--from-digests", e.sums("\\" + e.line("a\\qb"))}); });
  sign("DigestListTagFormat", "BSD-style (--tag) lines are not supported", [](Env& e) {
    return e.sign_key({"--from-digests", e.sums("SHA256 (a.bin) = " + std::string(64, 'a') + "\n")});
  });
  sign("DigestListEmpty", "the digest list names no files",
       [](Env& e) { return e.sign_key({"--from-digests", e.sums("")}); });
  sign("DigestListBinaryGarbage", "digest list line", [](Env& e) {
    std::string junk;
    for (int i = 0; i < 2048; ++i) junk += static_cast<char>((i * 7919 + 13) & 0xff);
    return e.sign_key({"--from-digests", e.sums(junk)});
  });
  sign("DigestListMissing", "cannot read digest list", [](Env& e) {
    return e.sign_key({"--from-digests", e.s("absent.txt")});
  });
  sign("DigestListIsADirectory", "is a directory", [](Env& e) {
    return e.sign_key({"--from-digests", e.model().string()});
  });
  sign("DigestListWithShards", "--serialization must be files", [](Env& e) {
    return e.sign_key({"--serialization", "shards", "--from-digests", e.sums(e.line("a.bin"))});
  }, 2);
  other("DigestCommandDigestListMalformed", "digest list line 1", [](Env& e) {
    return std::vector<std::string>{"digest", e.model().string(), "--from-digests", e.sums("nope\n")};
  });

  // --- --oci-manifest ----------------------------------------------------
  sign("OciLayerWithoutTitle", "layer 1 (sha256:", [](Env& e) {
    return e.sign_key({"--oci-manifest", e.oci([](json& d) { d["layers"][1].erase("annotations"); })});
  });
  sign("OciSha512Digest", "has a sha512 digest: only sha256 layer digests can be signed", [](Env& e) {
    return e.sign_key({"--oci-manifest", e.oci([](json& d) { d["layers"][0]["digest"] = "sha512:" + std::string(128, 'a'); })});
  });
  sign("OciGzipLayer", "is compressed (application/vnd.oci.image.layer.v1.tar+gzip)", [](Env& e) {
    return e.sign_key({"--oci-manifest", e.oci([](json& d) {
      d["layers"][0]["mediaType"] = "application/vnd.oci.image.layer.v1.tar+gzip";
    })});
  });
  sign("OciAbsoluteTitle", "title is an absolute path", [](Env& e) {
    return e.sign_key({"--oci-manifest", e.oci([](json& d) {
      d["layers"][0]["annotations"]["org.opencontainers.image.title"] = "/root/.ssh/id_rsa";
    })});
  });
  sign("OciDuplicateTitle", "are both titled", [](Env& e) {
    return e.sign_key({"--oci-manifest", e.oci([](json& d) { d["layers"].push_back(d["layers"][0]); })});
  });
  sign("OciImageIndex", "this is an image index", [](Env& e) {
    return e.sign_key({"--oci-manifest", e.oci([](json& d) { d["mediaType"] = "application/vnd.oci.image.index.v1+json"; })});
  });
  sign("OciNotJson", "not valid JSON", [](Env& e) { return e.sign_key({"--oci-manifest", e.write("m.json", "{")}); });
  sign("OciWithBlake3", "--hash must be sha256", [](Env& e) {
    return e.sign_key({"--hash", "blake3", "--oci-manifest", e.oci([](json&) {})});
  }, 2);
  sign("OciAndDigestListTogether", "excludes", [](Env& e) {
    return e.sign_key({"--oci-manifest", e.oci([](json&) {}), "--from-digests", e.sums(e.line("a.bin"))});
  }, 2);
  other("VerifyOciLayerWithoutTitle", "has no org.opencontainers.image.title annotation", [](Env& e) {
    return std::vector<std::string>{"verify", "key", "--oci-manifest",
                                    e.oci([](json& d) { d["layers"][0]["annotations"] = json::object(); }),
                                    "--signature", e.s("old.sig"), "--public-key", e.s("key.pub")};
  });
  other("VerifyWithoutModelOrManifest", "MODEL_PATH is required", [](Env& e) {
    return std::vector<std::string>{"verify", "key", "--signature", e.s("old.sig"), "--public-key", e.s("key.pub")};
  }, 2);
  other("VerifyWithModelAndManifest", "excludes", [](Env& e) {
    return e.verify_key({"--oci-manifest", e.oci([](json&) {})});
  }, 2);

  // --- --reuse-digests ---------------------------------------------------
  sign("ReuseTamperedOldSignature", "old signature", [](Env& e) {
    json bundle = json::parse(read_file(e.path("old.sig")));
    auto sig = *util::base64_decode(bundle["dsseEnvelope"]["signatures"][0]["sig"].get<std::string>());
    sig[10] ^= 1;
    bundle["dsseEnvelope"]["signatures"][0]["sig"] = util::base64_encode(sig);
    return e.sign_key({"--reuse-digests", e.write("old.sig", bundle.dump())});
  });
  sign("ReuseOldSignatureOfAnotherKey", "does not match the key that signed",
       [](Env& e) { return e.sign_key({"--reuse-digests", e.s("old.sig")}, "other.pem"); });
  sign("ReuseWithTheWrongReusePublicKey", "does not match the key that signed", [](Env& e) {
    return e.sign_key({"--reuse-digests", e.s("old.sig"), "--reuse-public-key", e.s("other.pub")});
  });
  sign("ReuseOldSignatureOfAnotherSerialization", "it signs files of sha256, this signing shards of sha256", [](Env& e) {
    return e.sign_key({"--reuse-digests", e.s("old.sig"), "--serialization", "shards"});
  });
  sign("ReuseOldSignatureOfAnotherHash", "this signing files of blake3 (they must match)", [](Env& e) {
    return e.sign_key({"--reuse-digests", e.s("old.sig"), "--hash", "blake3"});
  });
  sign("ReuseOldSignatureNotABundle", "invalid signature file", [](Env& e) {
    return e.sign_key({"--reuse-digests", e.write("old.sig", "not json")});
  });
  sign("ReuseOldSignatureMissing", "cannot read", [](Env& e) { return e.sign_key({"--reuse-digests", e.s("gone.sig")}); });
  sign("ReuseWithoutStatRecord", "has no stat record", [](Env& e) {
    fs::remove(e.path("old.sig.stat.json"));
    return e.sign_key({"--reuse-digests", e.s("old.sig")});
  });
  sign("ReuseStatRecordOfAnotherSignature", "belongs to another signature", [](Env& e) {
    run_cli({"sign", "key", e.model().string(), "--private-key", e.s("key.pem"), "--signature", e.s("second.sig"),
             "--write-stat-record"});
    fs::copy_file(e.path("second.sig.stat.json"), e.path("old.sig.stat.json"), fs::copy_options::overwrite_existing);
    write_file(e.model() / "a.bin", "alpha, edited");
    return e.sign_key({"--reuse-digests", e.s("old.sig")});
  });
  sign("ReuseStatRecordGarbage", "stat record", [](Env& e) {
    e.write("old.sig.stat.json", "[[[");
    return e.sign_key({"--reuse-digests", e.s("old.sig")});
  });
  sign("ReuseChangedPathOutsideTheModel", "is not inside the model", [](Env& e) {
    return e.sign_key({"--reuse-digests", e.s("old.sig"), "--changed", e.s("key.pem")});
  });
  sign("ReuseChangedFromMissing", "cannot read list of changed files", [](Env& e) {
    return e.sign_key({"--reuse-digests", e.s("old.sig"), "--changed-from", e.s("absent.txt")});
  });
  sign("ChangedWithoutReuse", "--changed requires --reuse-digests", [](Env& e) {
    return e.sign_key({"--changed", (e.model() / "a.bin").string()});
  }, 2);
  sign("ReusePublicKeyWithoutReuse", "requires --reuse-digests", [](Env& e) {
    return e.sign_key({"--reuse-public-key", e.s("key.pub")});
  }, 2);
  sign("ReuseWithDigestList", "excludes", [](Env& e) {
    return e.sign_key({"--reuse-digests", e.s("old.sig"), "--from-digests", e.sums(e.line("a.bin"))});
  }, 2);
  sign("StatRecordInsideTheModel", "it lies inside the model", [](Env& e) {
    std::vector<std::string> args = e.sign_key({"--write-stat-record"});
    args[6] = (e.model() / "model.sig").string();
    return args;
  });
  other("SigstoreReuseWithoutIdentity", "--reuse-identity and --reuse-identity-provider", [](Env& e) {
    return std::vector<std::string>{"sign", "sigstore", e.model().string(), "--reuse-digests", e.s("old.sig"),
                                    "--signature", e.out().string()};
  }, 2);
  sign("CertificateReuseOfAKeySignature", "not signed with a certificate chain", [](Env& e) {
    TestIdentity root = TestIdentity::make_root();
    TestIdentity leaf = root.issue(CertSpec{});
    root.write_cert_pem(e.path("root.pem"));
    leaf.write_cert_pem(e.path("leaf.pem"));
    leaf.write_key_pem(e.path("leaf.key"));
    return std::vector<std::string>{"sign", "certificate", e.model().string(), "--private-key", e.s("leaf.key"),
                                    "--signing-certificate", e.s("leaf.pem"), "--reuse-digests", e.s("old.sig"),
                                    "--reuse-certificate-chain", e.s("root.pem"), "--signature", e.out().string()};
  });

  // --- verify --only -----------------------------------------------------
  other("OnlyPathOutsideTheModel", "is not inside the model", [](Env& e) { return e.verify_key({"--only", e.s("key.pem")}); });
  other("OnlyPathNotSigned", "is not covered by the signature", [](Env& e) {
    write_file(e.model() / "new.bin", "not signed");
    return e.verify_key({"--only", (e.model() / "new.bin").string()});
  });
  other("OnlyFileTampered", "modified files (digest differs): sub/b.bin", [](Env& e) {
    write_file(e.model() / "sub/b.bin", "BRAVO");
    return e.verify_key({"--only", (e.model() / "sub").string()});
  });
  other("OnlyFileReplacedByAFifo", "FIFO", [](Env& e) {
    fs::remove(e.model() / "a.bin");
    ::mkfifo((e.model() / "a.bin").c_str(), 0600);
    return e.verify_key({"--only", (e.model() / "a.bin").string()});
  });
  other("OnlyWithOciManifest", "excludes", [](Env& e) {
    return std::vector<std::string>{"verify", "key", "--oci-manifest", e.oci([](json&) {}), "--only", "a.bin",
                                    "--signature", e.s("old.sig"), "--public-key", e.s("key.pub")};
  }, 2);
  return r;
}

class DigestSourcesHostile : public ::testing::TestWithParam<Row> {};

TEST_P(DigestSourcesHostile, FailsWithOneClearLine) {
  const Row& row = GetParam();
  Env env;
  std::vector<std::string> args = row.setup(env);
  CommandResult result = run_command(cli_path().string(), args, "", {}, std::chrono::seconds(60));
  EXPECT_TRUE(one_line_failure(result, row.code, row.needle));
  EXPECT_LT(result.err.size(), 400u) << result.err;
  EXPECT_TRUE(util::is_valid_utf8(result.err)) << result.err;
  if (!row.writes_out) return;
  EXPECT_FALSE(fs::exists(env.out())) << "a failed sign left a signature file";
  EXPECT_FALSE(fs::exists(env.path("out.sig.stat.json")));
  write_file(env.out(), "ORIGINAL SIGNATURE");
  result = run_command(cli_path().string(), args, "", {}, std::chrono::seconds(60));
  EXPECT_TRUE(one_line_failure(result, row.code, row.needle));
  EXPECT_EQ(read_file(env.out()), "ORIGINAL SIGNATURE");
}

INSTANTIATE_TEST_SUITE_P(Table, DigestSourcesHostile, ::testing::ValuesIn(rows()),
                         [](const ::testing::TestParamInfo<Row>& info) { return info.param.name; });

}  // namespace
}  // namespace model_signing::testing
