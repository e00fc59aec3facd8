// `verify sigstore` with its trust from a TUF repository (--tuf-url,
// --tuf-root) served by the local simulator (tests/tuf_repo), which holds
// today's production trusted_root.json as a target: the Python tool's
// production-signed vector verifies through it, and every attack the TUF
// conformance client is tested with fails verification with one line. The
// cache (under $XDG_CACHE_HOME) is used offline and when the network is gone.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <algorithm>

#include "model_signing/sigstore_trust.h"
#include "support/cli_expect.h"
#include "support/test_support.h"
#include "unit/tuf/tuf_repo_server.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using ::testing::HasSubstr;
using nlohmann::json;

const fs::path kVector = shared_dir() / "vectors" / "model-transparency" / "v1.0.0-sigstore";
const std::string kIdentity = "stefanb@us.ibm.com";
const std::string kIssuer = "https://sigstore.verify.ibm.com/oauth2";

std::string production_trusted_root() {
  return read_file(shared_dir() / "sigstore" / "trust" / "production" / "trusted_root.json");
}

class VerifySigstoreTuf : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_.control({{{"op", "add_target"}, {"path", "trusted_root.json"}, {"content", production_trusted_root()}},
                   {{"op", "publish"}, {"roles", {"targets"}}},
                   {{"op", "update_snapshot"}}});
    write_file(dir_ / "root.json", repo_.metadata("1.root.json"));
  }

  std::vector<std::string> env() const { return {"XDG_CACHE_HOME=" + (dir_ / "cache").string()}; }

  CommandResult verify(std::vector<std::string> extra = {}, const std::vector<std::string>& more_env = {}) {
    std::vector<std::string> args = {"verify",        "sigstore",  kVector.string(),  "--signature",
                                     (kVector / "model.sig").string(), "--identity", kIdentity,
                                     "--identity-provider", kIssuer, "--tuf-url", repo_.repository_url(),
                                     "--tuf-root", (dir_ / "root.json").string()};
    args.insert(args.end(), extra.begin(), extra.end());
    std::vector<std::string> e = env();
    e.insert(e.end(), more_env.begin(), more_env.end());
    return run_cli(args, e);
  }

  fs::path cache() const {
    return sigstore::tuf_cache_dir(dir_ / "cache" / "model_signing" / "tuf", repo_.repository_url());
  }
  std::uint64_t cached_version(const std::string& role) const {
    fs::path file = cache() / "metadata" / (role + ".json");
    if (!fs::exists(file)) return 0;
    return json::parse(read_file(file))["signed"]["version"].get<std::uint64_t>();
  }

  // The first verification, which fills the cache.
  void start() { ASSERT_TRUE(succeeded(verify(), "Verification succeeded\n")); }

  TufRepoServer repo_;
  TempDir dir_;
};

TEST_F(VerifySigstoreTuf, VerifiesTheProductionVectorWithTrustFromTheRepository) {
  CommandResult r = verify({"--log-level", "INFO"});
  EXPECT_TRUE(succeeded(r, "Verification succeeded\n")) << r.err;
  EXPECT_THAT(r.err, HasSubstr("INFO: Sigstore trust: trusted_root.json from the TUF repository " +
                               repo_.repository_url()));
  EXPECT_THAT(r.err, HasSubstr("refreshed just now; cached in " + cache().string()));
  EXPECT_EQ(read_file(cache() / "targets" / "trusted_root.json"), production_trusted_root());
  // Quiet below INFO.
  r = verify();
  EXPECT_TRUE(succeeded(r, "Verification succeeded\n"));
  EXPECT_EQ(r.err, "");

  // The OMS example bundle, signed in production too.
  TempDir model;
  for (const char* f : {"signme-1", "signme-2"}) copy_tree(kVector / f, model.path() / f);
  std::vector<std::string> args = {"verify", "sigstore", model.path().string(), "--signature",
                                   (shared_dir() / "vectors/oms-spec/valid/sigstore.bundle.json").string(),
                                   "--identity", kIdentity, "--identity-provider", kIssuer, "--tuf-url",
                                   repo_.repository_url()};
  EXPECT_TRUE(succeeded(run_cli(args, env()), "Verification succeeded\n"));
}

TEST_F(VerifySigstoreTuf, ATrustedRootWithoutTheProductionLogsFails) {
  json root = json::parse(production_trusted_root());
  root["tlogs"] = json::array();
  repo_.control({{{"op", "add_target"}, {"path", "trusted_root.json"}, {"content", root.dump()}},
                 {{"op", "publish"}, {"roles", {"targets"}}},
                 {{"op", "update_snapshot"}}});
  EXPECT_TRUE(one_line_failure(verify(), 1, "is not a transparency log of the trusted root"));
}

TEST_F(VerifySigstoreTuf, RootRotationOverSeveralVersions) {
  ASSERT_NO_FATAL_FAILURE(start());
  std::string k1 = repo_.control({})["keyids"]["root"][0];
  // v2: three keys (ECDSA and RSA added), threshold 2; v3: k1 removed;
  // v4: a P-384 key added, threshold 3.
  repo_.control({{{"op", "add_key"}, {"role", "root"}, {"keytype", "ecdsa"}},
                 {{"op", "add_key"}, {"role", "root"}, {"keytype", "rsa"}},
                 {{"op", "set_threshold"}, {"role", "root"}, {"threshold", 2}},
                 {{"op", "bump_root"}}});
  repo_.control({{{"op", "remove_key"}, {"role", "root"}, {"keyid", k1}}, {{"op", "bump_root"}}});
  repo_.control({{{"op", "add_key"}, {"role", "root"}, {"keytype", "ecdsa-p384"}},
                 {{"op", "set_threshold"}, {"role", "root"}, {"threshold", 3}},
                 {{"op", "bump_root"}}});
  EXPECT_TRUE(succeeded(verify(), "Verification succeeded\n"));
  EXPECT_EQ(cached_version("root"), 4u);

  // v5 signed by two of the three keys v4 requires.
  json keys = repo_.control({})["keyids"]["root"];
  repo_.control({{{"op", "bump_root"}, {"only_sign_with", {keys[0], keys[1]}}}});
  EXPECT_TRUE(one_line_failure(
      verify(), 1, "TUF 5.root.json: signed by 2 of the 3 required keys of the trusted root (version 4)"));
  EXPECT_EQ(cached_version("root"), 4u);
}

TEST_F(VerifySigstoreTuf, AnExpiredIntermediateRootIsWalkedThrough) {
  ASSERT_NO_FATAL_FAILURE(start());
  repo_.control({{{"op", "set_expires"}, {"role", "root"}, {"days", -1}},
                 {{"op", "bump_root"}},
                 {{"op", "set_expires"}, {"role", "root"}, {"days", 365}},
                 {{"op", "bump_root"}}});
  EXPECT_TRUE(succeeded(verify(), "Verification succeeded\n"));
  EXPECT_EQ(cached_version("root"), 3u);
}

TEST_F(VerifySigstoreTuf, RootRollbackFails) {
  ASSERT_NO_FATAL_FAILURE(start());
  repo_.control({{{"op", "bump_root"}}});
  ASSERT_TRUE(succeeded(verify()));
  repo_.control({{{"op", "override"}, {"file", "3.root.json"}, {"body", repo_.metadata("2.root.json")}}});
  EXPECT_TRUE(one_line_failure(verify(), 1, "TUF 3.root.json: version 2 where version 3 was expected (rollback)"));
}

TEST_F(VerifySigstoreTuf, TimestampRollbackFails) {
  std::string old_timestamp = repo_.metadata("timestamp.json");
  repo_.control({{{"op", "update_timestamp"}}});
  ASSERT_NO_FATAL_FAILURE(start());
  repo_.control({{{"op", "override"}, {"file", "timestamp.json"}, {"body", old_timestamp}}});
  EXPECT_TRUE(one_line_failure(verify(), 1, "TUF timestamp.json: version 2 is older than the trusted version 3 "
                                            "(rollback)"));
  EXPECT_EQ(cached_version("timestamp"), 3u);
}

TEST_F(VerifySigstoreTuf, SnapshotRollbackFails) {
  ASSERT_NO_FATAL_FAILURE(start());
  ASSERT_EQ(cached_version("snapshot"), 2u);
  repo_.control({{{"op", "set_version"}, {"role", "snapshot"}, {"version", 0}},
                 {{"op", "publish"}, {"roles", {"snapshot"}}},  // version 1 again
                 {{"op", "update_timestamp"}}});
  EXPECT_TRUE(one_line_failure(verify(), 1, "lists snapshot.json version 1, older than the trusted version 2 "
                                            "(rollback)"));
}

TEST_F(VerifySigstoreTuf, TargetsRollbackFails) {
  ASSERT_NO_FATAL_FAILURE(start());
  ASSERT_EQ(cached_version("targets"), 2u);
  repo_.control({{{"op", "set_version"}, {"role", "targets"}, {"version", 1}},
                 {{"op", "publish"}, {"roles", {"targets"}}, {"bump", false}},
                 {{"op", "update_snapshot"}}});
  EXPECT_TRUE(one_line_failure(verify(), 1, "TUF snapshot.json: lists targets.json version 1, older than the "
                                            "trusted version 2 (rollback)"));
}

TEST_F(VerifySigstoreTuf, AFreezeAttackFailsButTheCacheStillWorksOffline) {
  ASSERT_NO_FATAL_FAILURE(start());
  repo_.control({{{"op", "set_expires"}, {"role", "timestamp"}, {"days", -1}}, {{"op", "update_timestamp"}}});
  CommandResult r = verify();
  EXPECT_TRUE(one_line_failure(r, 1, "TUF timestamp.json: version 3 expired at"));
  EXPECT_THAT(r.err, HasSubstr("freeze attack"));
  EXPECT_EQ(cached_version("timestamp"), 2u);
  EXPECT_TRUE(succeeded(verify({"--offline"}), "Verification succeeded\n"));
}

TEST_F(VerifySigstoreTuf, MismatchedSnapshotAndTargetsHashesAndVersionsFail) {
  repo_.control({{{"op", "hashes_in_meta"}, {"value", true}}, {{"op", "update_snapshot"}}});
  ASSERT_NO_FATAL_FAILURE(start());
  // A different snapshot of the same length under the listed name and version.
  repo_.control({{{"op", "set_field"}, {"role", "snapshot"}, {"path", {"x-note"}}, {"value", "original"}},
                 {{"op", "update_snapshot"}},
                 {{"op", "set_field"}, {"role", "snapshot"}, {"path", {"x-note"}}, {"value", "modified"}},
                 {{"op", "publish"}, {"roles", {"snapshot"}}, {"bump", false}}});
  EXPECT_TRUE(one_line_failure(verify(), 1, "TUF snapshot.json: its sha256 hash differs from the one "
                                            "timestamp.json lists"));
  // Targets whose hash differs from the one the snapshot lists.
  repo_.control({{{"op", "set_field"}, {"role", "snapshot"}, {"path", {"x-note"}}, {"value", nullptr}},
                 {{"op", "set_field"}, {"role", "targets"}, {"path", {"x-note"}}, {"value", "original"}},
                 {{"op", "publish"}, {"roles", {"targets"}}},
                 {{"op", "update_snapshot"}},
                 {{"op", "set_field"}, {"role", "targets"}, {"path", {"x-note"}}, {"value", "modified"}},
                 {{"op", "publish"}, {"roles", {"targets"}}, {"bump", false}}});
  EXPECT_TRUE(one_line_failure(verify(), 1, "TUF targets.json: its sha256 hash differs from the one snapshot.json "
                                            "lists"));
}

TEST_F(VerifySigstoreTuf, MismatchedSnapshotAndTargetsVersionsFail) {
  ASSERT_NO_FATAL_FAILURE(start());
  // 3.snapshot.json holds a snapshot of version 4.
  repo_.control({{{"op", "update_snapshot"}}, {{"op", "set_version"}, {"role", "snapshot"}, {"version", 4}},
                 {{"op", "publish"}, {"roles", {"snapshot"}}, {"bump", false}}});
  repo_.control({{{"op", "override"}, {"file", "3.snapshot.json"}, {"body", repo_.metadata("4.snapshot.json")}}});
  EXPECT_TRUE(one_line_failure(verify(), 1, "TUF snapshot.json: version 4, but timestamp.json lists version 3"));
  // 3.targets.json holds a targets of version 5.
  repo_.control({{{"op", "clear_override"}, {"file", "3.snapshot.json"}},
                 {{"op", "publish"}, {"roles", {"targets"}}},  // v3
                 {{"op", "update_snapshot"}},                  // snapshot v5 lists targets v3
                 {{"op", "set_version"}, {"role", "targets"}, {"version", 5}},
                 {{"op", "publish"}, {"roles", {"targets"}}, {"bump", false}}});
  repo_.control({{{"op", "override"}, {"file", "3.targets.json"}, {"body", repo_.metadata("5.targets.json")}}});
  EXPECT_TRUE(one_line_failure(verify(), 1, "TUF targets.json: version 5, but snapshot.json lists version 3"));
}

TEST_F(VerifySigstoreTuf, AnOversizedResponseFails) {
  repo_.control({{{"op", "override"}, {"file", "timestamp.json"}, {"size", 1 << 20}}});
  EXPECT_TRUE(one_line_failure(verify(), 1, "TUF timestamp.json: the repository's answer exceeds the 16384-byte "
                                            "limit"));
}

TEST_F(VerifySigstoreTuf, ATargetWhoseHashDoesNotMatchFails) {
  ASSERT_NO_FATAL_FAILURE(start());
  // A new trusted root is published, but other bytes of its length are served.
  json root = json::parse(production_trusted_root());
  root["tlogs"] = json::array();
  std::string rotated = root.dump();
  repo_.control({{{"op", "add_target"}, {"path", "trusted_root.json"}, {"content", rotated}},
                 {{"op", "publish"}, {"roles", {"targets"}}},
                 {{"op", "update_snapshot"}},
                 {{"op", "set_artifact"}, {"path", "trusted_root.json"}, {"content", std::string(rotated.size(), ' ')}}});
  EXPECT_TRUE(one_line_failure(verify(), 1, "TUF target trusted_root.json: its sha256 hash differs from the one "
                                            "targets.json lists"));
  EXPECT_EQ(read_file(cache() / "targets" / "trusted_root.json"), production_trusted_root());
}

TEST_F(VerifySigstoreTuf, TheCacheIsUsedOffline) {
  ASSERT_NO_FATAL_FAILURE(start());
  repo_.clear_requests();
  CommandResult r = verify({"--offline", "--log-level", "INFO"});
  EXPECT_TRUE(succeeded(r, "Verification succeeded\n")) << r.err;
  EXPECT_THAT(r.err, HasSubstr("INFO: Sigstore trust: trusted_root.json from the trust cached from the TUF "
                               "repository " + repo_.repository_url() + ", last refreshed "));
  EXPECT_THAT(r.err, HasSubstr("(just now)"));
  EXPECT_EQ(r.err.find("Warning"), std::string::npos) << r.err;
  EXPECT_TRUE(repo_.requests().empty());
  repo_.stop();
  EXPECT_TRUE(succeeded(verify({"--offline"}), "Verification succeeded\n"));

  // A private repository with nothing cached cannot be used offline.
  std::vector<std::string> fresh_cache = {"XDG_CACHE_HOME=" + (dir_ / "empty").string()};
  EXPECT_TRUE(one_line_failure(run_cli({"verify", "sigstore", kVector.string(), "--signature",
                                        (kVector / "model.sig").string(), "--identity", kIdentity,
                                        "--identity-provider", kIssuer, "--tuf-url", repo_.repository_url(),
                                        "--tuf-root", (dir_ / "root.json").string(), "--offline"},
                                       fresh_cache),
                               1, "no trust for the TUF repository " + repo_.repository_url() + " is cached"));
}

TEST_F(VerifySigstoreTuf, TheNetworkGoneFallsBackToTheCacheUnlessFreshTrustIsRequired) {
  ASSERT_NO_FATAL_FAILURE(start());
  repo_.stop();
  CommandResult r = verify({}, {"MODEL_SIGNING_HTTP_ATTEMPTS=1"});
  EXPECT_TRUE(succeeded(r, "Verification succeeded\n"));
  // One warning line, naming the repository and the cache's age.
  EXPECT_EQ(std::count(r.err.begin(), r.err.end(), '\n'), 1) << r.err;
  EXPECT_THAT(r.err, HasSubstr("Warning: cannot reach the TUF repository " + repo_.repository_url()));
  EXPECT_THAT(r.err, HasSubstr("using the trust cached from the TUF repository " + repo_.repository_url() +
                               ", last refreshed "));

  EXPECT_TRUE(one_line_failure(verify({"--require-fresh-trust"}, {"MODEL_SIGNING_HTTP_ATTEMPTS=1"}), 1,
                               "could not reach the TUF repository"));
}

TEST_F(VerifySigstoreTuf, FlagsThatContradictEachOtherAreUsageErrors) {
  auto base = [&](std::vector<std::string> extra) {
    std::vector<std::string> args = {"verify", "sigstore", kVector.string(), "--signature",
                                     (kVector / "model.sig").string(), "--identity", kIdentity,
                                     "--identity-provider", kIssuer};
    args.insert(args.end(), extra.begin(), extra.end());
    return run_cli(args, env());
  };
  std::string root = (dir_ / "root.json").string();
  std::string config = (shared_dir() / "sigstore/trust/production/trusted_root.json").string();
  for (const auto& extra : std::vector<std::vector<std::string>>{
           {"--tuf-root", root},
           {"--trust-config", config, "--tuf-url", repo_.repository_url()},
           {"--trust-config", config, "--require-fresh-trust"},
           {"--offline", "--require-fresh-trust"},
           {"--use-staging", "--tuf-url", repo_.repository_url()}}) {
    EXPECT_TRUE(one_line_failure(base(extra), 2)) << ::testing::PrintToString(extra);
  }
  // A private repository needs its initial root until something is cached.
  EXPECT_TRUE(one_line_failure(base({"--tuf-url", repo_.repository_url()}), 1,
                               "no root.json to start trusting the TUF repository " + repo_.repository_url() +
                                   ": give its initial root (--tuf-root ROOT.json)"));
  EXPECT_TRUE(repo_.requests().empty());
}

}  // namespace
}  // namespace model_signing::testing
