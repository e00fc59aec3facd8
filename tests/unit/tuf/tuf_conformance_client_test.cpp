// The TUF conformance client (conformance/tuf) against the local repository
// simulator (tests/tuf_repo), through the conformance suite's command line:
// exit codes, the trusted metadata left in the metadata directory, the
// files in the target directory and the requests the repository saw.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include <nlohmann/json.hpp>

#include "support/test_support.h"
#include "unit/tuf/tuf_repo_server.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class TufConformanceClient : public ::testing::Test {
 protected:
  void SetUp() override {
    fs::create_directories(metadata_dir());
    fs::create_directories(target_dir());
  }

  fs::path metadata_dir() const { return dir_.path() / "metadata"; }
  fs::path target_dir() const { return dir_.path() / "targets"; }

  CommandResult run(std::vector<std::string> args) {
    last_ = run_command(MS_TUF_CLIENT_PATH, args, "", {}, std::chrono::seconds(120));
    return last_;
  }

  int init() { return init_with(repo_.metadata("1.root.json")); }
  int init_with(const std::string& root) {
    write_file(dir_.path() / "initial_root.json", root);
    return run({"--metadata-dir", metadata_dir().string(), "init", (dir_.path() / "initial_root.json").string()})
        .exit_code;
  }
  int refresh() {
    return run({"--metadata-dir", metadata_dir().string(), "--metadata-url", repo_.metadata_url(), "refresh"})
        .exit_code;
  }
  int download(const std::vector<std::string>& names) {
    std::vector<std::string> args = {"--metadata-dir", metadata_dir().string(), "--metadata-url",
                                     repo_.metadata_url()};
    for (const auto& name : names) {
      args.push_back("--target-name");
      args.push_back(name);
    }
    for (const std::string& a : {std::string("--target-base-url"), repo_.targets_url(),
                                 std::string("--target-dir"), target_dir().string(), std::string("download")}) {
      args.push_back(a);
    }
    return run(args).exit_code;
  }

  // The version of the trusted role's file in the metadata directory; 0 if
  // there is none.
  std::uint64_t version(const std::string& file_stem) const {
    fs::path path = metadata_dir() / (file_stem + ".json");
    if (!fs::exists(path)) return 0;
    return json::parse(read_file(path))["signed"]["version"].get<std::uint64_t>();
  }

  std::vector<std::string> target_files() const {
    std::vector<std::string> names;
    for (const auto& entry : fs::directory_iterator(target_dir())) names.push_back(entry.path().filename());
    std::sort(names.begin(), names.end());
    return names;
  }

  // Refreshing with the repository's first metadata succeeds.
  void start() {
    ASSERT_EQ(init(), 0) << last_.err;
    ASSERT_EQ(refresh(), 0) << last_.err;
  }

  std::string error() const { return last_.err; }

  TufRepoServer repo_;
  TempDir dir_;
  CommandResult last_;
};

TEST_F(TufConformanceClient, InitRefreshAndDownloadWithConsistentSnapshots) {
  repo_.control({{{"op", "add_target"}, {"path", "dir/file.txt"}, {"content", "hello TUF"}},
                 {{"op", "publish"}, {"roles", {"targets"}}},
                 {{"op", "update_snapshot"}}});
  ASSERT_EQ(init(), 0) << error();
  repo_.clear_requests();
  ASSERT_EQ(refresh(), 0) << error();
  // Spec 5.3-5.6 with consistent snapshots: VERSION.role.json except timestamp.
  EXPECT_EQ(repo_.requests(), (std::vector<std::string>{"/metadata/2.root.json", "/metadata/timestamp.json",
                                                         "/metadata/2.snapshot.json",
                                                         "/metadata/2.targets.json"}));
  EXPECT_EQ(version("root"), 1u);
  EXPECT_EQ(version("timestamp"), 2u);
  EXPECT_EQ(version("snapshot"), 2u);
  EXPECT_EQ(version("targets"), 2u);

  repo_.clear_requests();
  ASSERT_EQ(download({"dir/file.txt"}), 0) << error();
  EXPECT_EQ(read_file(target_dir() / "dir%2Ffile.txt"), "hello TUF");
  auto requests = repo_.requests();
  ASSERT_FALSE(requests.empty());
  // DIR/HASH.NAME, with the sha256 of the file.
  EXPECT_EQ(requests.back().rfind("/targets/dir/", 0), 0u);
  EXPECT_NE(requests.back().find(".file.txt"), std::string::npos);
  EXPECT_EQ(requests.back().size(), std::string("/targets/dir/").size() + 64 + std::string(".file.txt").size());

  // Already present with matching hashes: not downloaded again, and the
  // unchanged metadata is not fetched again either (only timestamp).
  repo_.clear_requests();
  ASSERT_EQ(download({"dir/file.txt"}), 0) << error();
  EXPECT_EQ(repo_.requests(), (std::vector<std::string>{"/metadata/2.root.json", "/metadata/timestamp.json"}));
}

TEST_F(TufConformanceClient, WithoutConsistentSnapshotsUsesUnversionedNames) {
  repo_.control({{{"op", "set_consistent_snapshot"}, {"value", false}},
                 {{"op", "bump_root"}},
                 {{"op", "add_target"}, {"path", "plain.txt"}, {"content", "plain"}},
                 {{"op", "publish"}, {"roles", {"targets"}}},
                 {{"op", "update_snapshot"}}});
  ASSERT_EQ(init(), 0) << error();
  repo_.clear_requests();
  ASSERT_EQ(download({"plain.txt"}), 0) << error();
  EXPECT_EQ(repo_.requests(),
            (std::vector<std::string>{"/metadata/2.root.json", "/metadata/3.root.json", "/metadata/timestamp.json",
                                      "/metadata/snapshot.json", "/metadata/targets.json", "/targets/plain.txt"}));
  EXPECT_EQ(version("root"), 2u);
}

TEST_F(TufConformanceClient, RootRotationThroughThresholdChangesAndKeyRemovals) {
  ASSERT_NO_FATAL_FAILURE(start());
  json keys = repo_.control({})["keyids"];
  std::string k1 = keys["root"][0];
  // v2: three root keys (ECDSA and RSA too), threshold 2; signed by the old
  // key and the new ones.
  json answer = repo_.control({{{"op", "add_key"}, {"role", "root"}, {"keytype", "ecdsa"}},
                               {{"op", "add_key"}, {"role", "root"}, {"keytype", "rsa"}},
                               {{"op", "set_threshold"}, {"role", "root"}, {"threshold", 2}},
                               {{"op", "bump_root"}}});
  // v3: k1 removed; the two others sign (a threshold of v2 and of v3).
  repo_.control({{{"op", "remove_key"}, {"role", "root"}, {"keyid", k1}}, {{"op", "bump_root"}}});
  // v4: a P-384 key added and the threshold raised to 3.
  repo_.control({{{"op", "add_key"}, {"role", "root"}, {"keytype", "ecdsa-p384"}},
                 {{"op", "set_threshold"}, {"role", "root"}, {"threshold", 3}},
                 {{"op", "bump_root"}}});
  ASSERT_EQ(refresh(), 0) << error();
  EXPECT_EQ(version("root"), 4u);

  // v5 signed by only two of v4's three required keys: refused, v4 stays.
  json now = repo_.control({})["keyids"]["root"];
  repo_.control({{{"op", "bump_root"}, {"only_sign_with", {now[0], now[1]}}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("TUF 5.root.json: signed by 2 of the 3 required keys of the trusted root (version 4)"),
            std::string::npos)
      << error();
  EXPECT_EQ(version("root"), 4u);
}

TEST_F(TufConformanceClient, NewRootMustAlsoMeetItsOwnThreshold) {
  ASSERT_NO_FATAL_FAILURE(start());
  // v2 names two new keys with threshold 2 but only the old key signs.
  std::string k1 = repo_.control({})["keyids"]["root"][0];
  repo_.control({{{"op", "add_key"}, {"role", "root"}, {"sign", false}},
                 {{"op", "add_key"}, {"role", "root"}, {"sign", false}},
                 {{"op", "remove_key"}, {"role", "root"}, {"keyid", k1}, {"keep_signer", true}},
                 {{"op", "set_threshold"}, {"role", "root"}, {"threshold", 2}},
                 {{"op", "bump_root"}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("TUF 2.root.json: signed by 0 of the 2 required keys of its own root role"),
            std::string::npos)
      << error();
  EXPECT_EQ(version("root"), 1u);
}

TEST_F(TufConformanceClient, ExpiredIntermediateRootIsWalkedThrough) {
  ASSERT_NO_FATAL_FAILURE(start());
  repo_.control({{{"op", "set_expires"}, {"role", "root"}, {"days", -1}},
                 {{"op", "bump_root"}},  // v2, expired
                 {{"op", "set_expires"}, {"role", "root"}, {"days", 365}},
                 {{"op", "bump_root"}}});  // v3
  ASSERT_EQ(refresh(), 0) << error();
  EXPECT_EQ(version("root"), 3u);

  // An expired final root is persisted (5.3.8) but stops the update (5.3.10).
  repo_.control({{{"op", "set_expires"}, {"role", "root"}, {"days", -1}},
                 {{"op", "bump_root"}},
                 {{"op", "update_timestamp"}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("TUF root.json: version 4 expired at"), std::string::npos) << error();
  EXPECT_EQ(version("root"), 4u);
  EXPECT_EQ(version("timestamp"), 1u);
}

TEST_F(TufConformanceClient, RootRollbackIsRefused) {
  ASSERT_NO_FATAL_FAILURE(start());
  repo_.control({{{"op", "bump_root"}}});
  ASSERT_EQ(refresh(), 0) << error();
  // 3.root.json answers with version 2's file.
  repo_.control({{{"op", "override"}, {"file", "3.root.json"}, {"body", repo_.metadata("2.root.json")}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("TUF 3.root.json: version 2 where version 3 was expected (rollback)"), std::string::npos)
      << error();
  EXPECT_EQ(version("root"), 2u);
}

TEST_F(TufConformanceClient, TimestampRollbackIsRefused) {
  ASSERT_NO_FATAL_FAILURE(start());
  std::string old_timestamp = repo_.metadata("timestamp.json");
  repo_.control({{{"op", "update_timestamp"}}});
  ASSERT_EQ(refresh(), 0) << error();
  ASSERT_EQ(version("timestamp"), 2u);
  repo_.control({{{"op", "override"}, {"file", "timestamp.json"}, {"body", old_timestamp}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("TUF timestamp.json: version 1 is older than the trusted version 2 (rollback)"),
            std::string::npos)
      << error();
  EXPECT_EQ(version("timestamp"), 2u);
}

TEST_F(TufConformanceClient, SnapshotRollbackIsRefused) {
  ASSERT_NO_FATAL_FAILURE(start());
  repo_.control({{{"op", "update_snapshot"}}});  // snapshot v2
  ASSERT_EQ(refresh(), 0) << error();
  // The timestamp now lists snapshot version 1 again.
  repo_.control({{{"op", "set_version"}, {"role", "snapshot"}, {"version", 1}},
                 {{"op", "publish"}, {"roles", {"snapshot"}}, {"bump", false}},
                 {{"op", "update_timestamp"}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("TUF timestamp.json: lists snapshot.json version 1, older than the trusted version 2 "
                         "(rollback)"),
            std::string::npos)
      << error();
  EXPECT_EQ(version("snapshot"), 2u);
  EXPECT_EQ(version("timestamp"), 2u);
}

TEST_F(TufConformanceClient, TargetsRollbackIsRefused) {
  repo_.control({{{"op", "publish"}, {"roles", {"targets"}}}, {{"op", "update_snapshot"}}});  // targets v2
  ASSERT_NO_FATAL_FAILURE(start());
  ASSERT_EQ(version("targets"), 2u);
  repo_.control({{{"op", "set_version"}, {"role", "targets"}, {"version", 1}},
                 {{"op", "publish"}, {"roles", {"targets"}}, {"bump", false}},
                 {{"op", "update_snapshot"}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("TUF snapshot.json: lists targets.json version 1, older than the trusted version 2 "
                         "(rollback)"),
            std::string::npos)
      << error();
  EXPECT_EQ(version("targets"), 2u);
  EXPECT_EQ(version("snapshot"), 2u);
}

TEST_F(TufConformanceClient, DelegatedRoleRollbackIsRefused) {
  repo_.control({{{"op", "add_delegation"}, {"name", "team"}, {"paths", {"team/*"}}},
                 {{"op", "add_target"}, {"role", "team"}, {"path", "team/a.txt"}, {"content", "a"}},
                 {{"op", "publish"}, {"roles", {"team", "targets"}}},
                 {{"op", "update_snapshot"}}});
  ASSERT_EQ(init(), 0);
  ASSERT_EQ(download({"team/a.txt"}), 0) << error();
  ASSERT_EQ(version("team"), 2u);
  repo_.control({{{"op", "set_version"}, {"role", "team"}, {"version", 1}},
                 {{"op", "publish"}, {"roles", {"team"}}, {"bump", false}},
                 {{"op", "update_snapshot"}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("lists team.json version 1, older than the trusted version 2 (rollback)"),
            std::string::npos)
      << error();
}

TEST_F(TufConformanceClient, ExpiredTimestampIsAFreezeAttack) {
  ASSERT_NO_FATAL_FAILURE(start());
  repo_.control({{{"op", "set_expires"}, {"role", "timestamp"}, {"days", -1}}, {{"op", "update_timestamp"}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("TUF timestamp.json: version 2 expired at"), std::string::npos) << error();
  EXPECT_NE(error().find("freeze attack"), std::string::npos) << error();
  EXPECT_EQ(version("timestamp"), 1u);
}

TEST_F(TufConformanceClient, ExpiredSnapshotAndTargetsAreRefused) {
  ASSERT_NO_FATAL_FAILURE(start());
  repo_.control({{{"op", "set_expires"}, {"role", "snapshot"}, {"days", -2}}, {{"op", "update_snapshot"}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("TUF snapshot.json: version 2 expired at"), std::string::npos) << error();
  EXPECT_EQ(version("snapshot"), 1u);

  repo_.control({{{"op", "set_expires"}, {"role", "snapshot"}, {"days", 30}},
                 {{"op", "set_expires"}, {"role", "targets"}, {"days", -2}},
                 {{"op", "publish"}, {"roles", {"targets"}}},
                 {{"op", "update_snapshot"}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("TUF targets.json: version 2 expired at"), std::string::npos) << error();
  EXPECT_EQ(version("targets"), 1u);
}

TEST_F(TufConformanceClient, SnapshotAndTargetsMustMatchTheirListedHashes) {
  repo_.control({{{"op", "hashes_in_meta"}, {"value", true}}, {{"op", "update_snapshot"}}});
  ASSERT_NO_FATAL_FAILURE(start());
  // A different snapshot of the same length under the name and version the
  // timestamp lists.
  repo_.control({{{"op", "set_field"}, {"role", "snapshot"}, {"path", {"x-note"}}, {"value", "original"}},
                 {{"op", "update_snapshot"}},
                 {{"op", "set_field"}, {"role", "snapshot"}, {"path", {"x-note"}}, {"value", "modified"}},
                 {{"op", "publish"}, {"roles", {"snapshot"}}, {"bump", false}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("TUF snapshot.json: its sha256 hash differs from the one timestamp.json lists"),
            std::string::npos)
      << error();
  EXPECT_EQ(version("snapshot"), 2u);

  // The same for targets against the snapshot.
  repo_.control({{{"op", "set_field"}, {"role", "snapshot"}, {"path", {"x-note"}}, {"value", nullptr}},
                 {{"op", "set_field"}, {"role", "targets"}, {"path", {"x-note"}}, {"value", "original"}},
                 {{"op", "publish"}, {"roles", {"targets"}}},
                 {{"op", "update_snapshot"}},
                 {{"op", "set_field"}, {"role", "targets"}, {"path", {"x-note"}}, {"value", "modified"}},
                 {{"op", "publish"}, {"roles", {"targets"}}, {"bump", false}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("TUF targets.json: its sha256 hash differs from the one snapshot.json lists"),
            std::string::npos)
      << error();
  EXPECT_EQ(version("targets"), 1u);
}

TEST_F(TufConformanceClient, SnapshotAndTargetsMustHaveTheirListedVersions) {
  ASSERT_NO_FATAL_FAILURE(start());
  // 2.snapshot.json holds a snapshot of version 3.
  repo_.control({{{"op", "update_snapshot"}}, {{"op", "set_version"}, {"role", "snapshot"}, {"version", 3}},
                 {{"op", "publish"}, {"roles", {"snapshot"}}, {"bump", false}}});
  repo_.control({{{"op", "override"}, {"file", "2.snapshot.json"}, {"body", repo_.metadata("3.snapshot.json")}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("TUF snapshot.json: version 3, but timestamp.json lists version 2"), std::string::npos)
      << error();

  // 2.targets.json holds a targets of version 5.
  repo_.control({{{"op", "clear_override"}, {"file", "2.snapshot.json"}},
                 {{"op", "set_version"}, {"role", "snapshot"}, {"version", 3}},
                 {{"op", "publish"}, {"roles", {"targets"}}},  // v2
                 {{"op", "update_snapshot"}},                  // snapshot v4 lists targets v2
                 {{"op", "set_version"}, {"role", "targets"}, {"version", 5}},
                 {{"op", "publish"}, {"roles", {"targets"}}, {"bump", false}}});
  repo_.control({{{"op", "override"}, {"file", "2.targets.json"}, {"body", repo_.metadata("5.targets.json")}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("TUF targets.json: version 5, but snapshot.json lists version 2"), std::string::npos)
      << error();
  EXPECT_EQ(version("targets"), 1u);
}

TEST_F(TufConformanceClient, OversizedResponsesFailClosed) {
  ASSERT_NO_FATAL_FAILURE(start());
  // Larger than the 16384-byte timestamp limit.
  repo_.control({{{"op", "override"}, {"file", "timestamp.json"}, {"size", 1 << 20}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("TUF timestamp.json: the repository's answer exceeds the 16384-byte limit"),
            std::string::npos)
      << error();

  // Longer than the length the timestamp lists for the snapshot.
  repo_.control({{{"op", "clear_override"}, {"file", "timestamp.json"}},
                 {{"op", "hashes_in_meta"}, {"value", true}},
                 {{"op", "update_snapshot"}}});
  repo_.control({{{"op", "override"}, {"file", "2.snapshot.json"}, {"size", 100000}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("TUF snapshot.json: the repository's answer exceeds the"), std::string::npos) << error();
  EXPECT_EQ(version("snapshot"), 1u);
}

TEST_F(TufConformanceClient, TargetWithWrongHashIsNotStored) {
  repo_.control({{{"op", "add_target"}, {"path", "model.bin"}, {"content", "good bytes"}},
                 {{"op", "add_target"}, {"path", "other.bin"}, {"content", "other"}},
                 {{"op", "publish"}, {"roles", {"targets"}}},
                 {{"op", "update_snapshot"}},
                 {{"op", "set_artifact"}, {"path", "model.bin"}, {"content", "evil bytes"}}});
  ASSERT_EQ(init(), 0);
  ASSERT_EQ(download({"other.bin", "model.bin"}), 1);
  EXPECT_NE(error().find("TUF target model.bin: its sha256 hash differs from the one targets.json lists"),
            std::string::npos)
      << error();
  EXPECT_EQ(target_files(), std::vector<std::string>{"other.bin"});

  // Longer than listed: cut off at the listed length.
  repo_.control({{{"op", "set_artifact"}, {"path", "model.bin"}, {"content", std::string(4096, 'x')}}});
  ASSERT_EQ(download({"model.bin"}), 1);
  EXPECT_NE(error().find("TUF target model.bin: the repository's answer exceeds the 10-byte limit"),
            std::string::npos)
      << error();
  EXPECT_EQ(target_files(), std::vector<std::string>{"other.bin"});
}

TEST_F(TufConformanceClient, UnknownTargetFails) {
  ASSERT_EQ(init(), 0);
  ASSERT_EQ(download({"missing.txt"}), 1);
  EXPECT_NE(error().find("TUF target missing.txt: no trusted targets role lists it"), std::string::npos) << error();
  // The implicit refresh still updated the metadata.
  EXPECT_EQ(version("timestamp"), 1u);
  EXPECT_EQ(version("targets"), 1u);
}

TEST_F(TufConformanceClient, DelegationsAreSearchedInPreOrderWithTerminatingRoles) {
  // targets -> a (paths "a/*", terminating) -> a-sub ("a/*.bin")
  //         -> b ("*/x.txt")      lists a/x.txt, but after terminating a
  //         -> c ("c/*", path_hash_prefixes elsewhere)
  repo_.control({{{"op", "add_delegation"}, {"name", "a"}, {"paths", {"a/*"}}, {"terminating", true}},
                 {{"op", "add_delegation"}, {"delegator", "a"}, {"name", "a-sub"}, {"paths", {"a/*.bin"}}},
                 {{"op", "add_delegation"}, {"name", "b"}, {"paths", {"*/x.txt"}}},
                 {{"op", "add_target"}, {"role", "a-sub"}, {"path", "a/m.bin"}, {"content", "deep"}},
                 {{"op", "add_target"}, {"role", "b"}, {"path", "a/x.txt"}, {"content", "shadowed"}},
                 {{"op", "add_target"}, {"role", "b"}, {"path", "b/x.txt"}, {"content", "from b"}},
                 {{"op", "publish"}, {"roles", {"a-sub", "a", "b", "targets"}}},
                 {{"op", "update_snapshot"}}});
  ASSERT_EQ(init(), 0);
  ASSERT_EQ(download({"a/m.bin", "b/x.txt"}), 0) << error();
  EXPECT_EQ(read_file(target_dir() / "a%2Fm.bin"), "deep");
  EXPECT_EQ(read_file(target_dir() / "b%2Fx.txt"), "from b");
  EXPECT_EQ(version("a"), 2u);
  EXPECT_EQ(version("a-sub"), 2u);
  EXPECT_EQ(version("b"), 2u);

  // a/x.txt: a is terminating for a/*, so b's entry is never consulted.
  fs::remove(metadata_dir() / "b.json");
  repo_.clear_requests();
  ASSERT_EQ(download({"a/x.txt"}), 1);
  EXPECT_NE(error().find("no trusted targets role lists it"), std::string::npos) << error();
  for (const auto& r : repo_.requests()) EXPECT_EQ(r.find("b.json"), std::string::npos) << r;
}

TEST_F(TufConformanceClient, DelegatedRoleNamesCannotEscapeTheMetadataDirectory) {
  repo_.control({{{"op", "add_delegation"}, {"name", "../escape"}, {"paths", {"*"}}},
                 {{"op", "add_target"}, {"role", "../escape"}, {"path", "t.txt"}, {"content", "t"}},
                 {{"op", "publish"}, {"roles", {"../escape", "targets"}}},
                 {{"op", "update_snapshot"}}});
  ASSERT_EQ(init(), 0);
  repo_.clear_requests();
  ASSERT_EQ(download({"t.txt"}), 0) << error();
  auto requests = repo_.requests();
  EXPECT_NE(std::find(requests.begin(), requests.end(), "/metadata/2...%2Fescape.json"), requests.end());
  EXPECT_TRUE(fs::exists(metadata_dir() / "..%2Fescape.json"));
  EXPECT_FALSE(fs::exists(dir_.path() / "escape.json"));
}

TEST_F(TufConformanceClient, HashPrefixDelegations) {
  // sha256("bin/t.txt") starts with some digit or letter: delegate by
  // every one-hex-digit prefix to one role, and the rest to none.
  repo_.control({{{"op", "add_delegation"},
                  {"name", "bins"},
                  {"path_hash_prefixes", {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "a", "b", "c", "d", "e", "f"}}},
                 {{"op", "add_target"}, {"role", "bins"}, {"path", "bin/t.txt"}, {"content", "binned"}},
                 {{"op", "publish"}, {"roles", {"bins", "targets"}}},
                 {{"op", "update_snapshot"}}});
  ASSERT_EQ(init(), 0);
  ASSERT_EQ(download({"bin/t.txt"}), 0) << error();
  EXPECT_EQ(read_file(target_dir() / "bin%2Ft.txt"), "binned");
}

TEST_F(TufConformanceClient, FastForwardAttackRecoveryAfterKeyRotation) {
  ASSERT_NO_FATAL_FAILURE(start());
  // An attacker with the timestamp key pushed version 100.
  repo_.control({{{"op", "set_version"}, {"role", "timestamp"}, {"version", 99}}, {{"op", "update_timestamp"}}});
  ASSERT_EQ(refresh(), 0) << error();
  ASSERT_EQ(version("timestamp"), 100u);
  // The repository rotates the timestamp key and starts over at version 1.
  repo_.control({{{"op", "rotate_keys"}, {"role", "timestamp"}, {"keytype", "ecdsa"}},
                 {{"op", "bump_root"}},
                 {{"op", "set_version"}, {"role", "timestamp"}, {"version", 0}},
                 {{"op", "update_timestamp"}}});
  ASSERT_EQ(refresh(), 0) << error();
  EXPECT_EQ(version("timestamp"), 1u);
}

TEST_F(TufConformanceClient, EveryKeyTypeVerifies) {
  ASSERT_EQ(init(), 0);
  repo_.control({{{"op", "rotate_keys"}, {"role", "timestamp"}, {"keytype", "ecdsa"}},
                 {{"op", "rotate_keys"}, {"role", "snapshot"}, {"keytype", "ecdsa-p384"}},
                 {{"op", "rotate_keys"}, {"role", "targets"}, {"keytype", "rsa"}},
                 {{"op", "bump_root"}},
                 {{"op", "publish"}, {"roles", {"targets"}}},
                 {{"op", "update_snapshot"}}});
  ASSERT_EQ(refresh(), 0) << error();
  EXPECT_EQ(version("root"), 2u);
  EXPECT_EQ(version("targets"), 2u);
}

TEST_F(TufConformanceClient, DuplicateSignaturesCountOnce) {
  ASSERT_NO_FATAL_FAILURE(start());
  // Threshold 2 for snapshot, met only by listing the one key's signature twice.
  repo_.control({{{"op", "set_threshold"}, {"role", "snapshot"}, {"threshold", 2}},
                 {{"op", "bump_root"}},
                 {{"op", "update_snapshot"}},
                 {{"op", "publish"}, {"roles", {"snapshot"}}, {"bump", false}, {"duplicate_signatures", true}}});
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("TUF snapshot.json: signed by 1 of the 2 required keys of the snapshot role"),
            std::string::npos)
      << error();
  EXPECT_EQ(version("snapshot"), 1u);
}

TEST_F(TufConformanceClient, UnsignedOrInvalidInitialRootMakesNoRequest) {
  std::string root = repo_.metadata("1.root.json");
  json doc = json::parse(root);
  doc["signed"]["x-extra"] = "not what was signed";
  EXPECT_EQ(init_with(doc.dump()), 1);
  EXPECT_NE(error().find("TUF root.json: signed by 0 of the 1 required keys of its own root role"),
            std::string::npos)
      << error();
  EXPECT_EQ(refresh(), 1);
  EXPECT_TRUE(repo_.requests().empty());
}

TEST_F(TufConformanceClient, NetworkGoneKeepsTheTrustedMetadata) {
  ASSERT_NO_FATAL_FAILURE(start());
  std::string before = read_file(metadata_dir() / "timestamp.json");
  repo_.stop();
  ASSERT_EQ(refresh(), 1);
  EXPECT_NE(error().find("could not reach the TUF repository"), std::string::npos) << error();
  EXPECT_EQ(read_file(metadata_dir() / "timestamp.json"), before);
  EXPECT_EQ(version("root"), 1u);
}

}  // namespace
}  // namespace model_signing::testing
