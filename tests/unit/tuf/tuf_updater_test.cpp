// The library's Updater against the local repository simulator: the cache
// used offline, the network gone, what status() reports, and error kinds a
// caller can tell apart.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "model_signing/tuf.h"
#include "support/test_support.h"
#include "unit/tuf/tuf_repo_server.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

class TufUpdater : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_.control({{{"op", "add_target"}, {"path", "trusted_root.json"}, {"content", "{\"trust\": 1}"}},
                   {{"op", "add_delegation"}, {"name", "team"}, {"paths", {"team/*"}}},
                   {{"op", "add_target"}, {"role", "team"}, {"path", "team/x"}, {"content", "x"}},
                   {{"op", "publish"}, {"roles", {"team", "targets"}}},
                   {{"op", "update_snapshot"}}});
    tuf::initialize_metadata_dir(metadata_dir(), repo_.metadata("1.root.json"));
  }

  fs::path metadata_dir() const { return dir_.path() / "metadata"; }

  tuf::UpdaterOptions options(bool offline = false) const {
    tuf::UpdaterOptions o;
    o.metadata_dir = metadata_dir();
    o.metadata_url = repo_.metadata_url();
    o.target_base_url = repo_.targets_url();
    o.offline = offline;
    o.http.max_attempts = 1;
    return o;
  }

  template <typename F>
  tuf::TufError error_of(F f) {
    try {
      f();
    } catch (const tuf::TufError& e) {
      return e;
    }
    ADD_FAILURE() << "no TufError";
    return tuf::TufError(tuf::FailureReason::kIo, "", "");
  }

  TufRepoServer repo_;
  TempDir dir_;
};

TEST_F(TufUpdater, DownloadsAndReportsStatus) {
  tuf::Updater updater(options());
  updater.refresh();
  auto status = updater.status();
  EXPECT_EQ(status.root_version, 1u);
  EXPECT_EQ(status.timestamp_version, 2u);
  EXPECT_EQ(status.snapshot_version, 2u);
  EXPECT_EQ(status.targets_version, 2u);
  EXPECT_FALSE(status.expired);
  EXPECT_FALSE(status.offline);
  ASSERT_TRUE(status.last_refreshed);
  EXPECT_LT(std::chrono::abs(tuf::Clock::now() - *status.last_refreshed), std::chrono::minutes(1));
  EXPECT_EQ(status.expires, status.timestamp_expires);  // the 7-day timestamp expires first

  auto info = updater.get_target_info("trusted_root.json");
  ASSERT_TRUE(info);
  EXPECT_EQ(info->length, 12u);
  EXPECT_EQ(info->role, "targets");
  EXPECT_EQ(info->hashes.size(), 2u);
  EXPECT_EQ(updater.fetch_target(*info), "{\"trust\": 1}");
  fs::path file = dir_.path() / "trusted_root.json";
  EXPECT_FALSE(updater.is_cached(*info, file));
  updater.download_target(*info, file);
  EXPECT_TRUE(updater.is_cached(*info, file));
  write_file(file, "{\"trust\": 2}");
  EXPECT_FALSE(updater.is_cached(*info, file));

  // Lookups are cached: the second one asks the repository nothing.
  auto team = updater.get_target_info("team/x");
  ASSERT_TRUE(team);
  EXPECT_EQ(team->role, "team");
  repo_.clear_requests();
  EXPECT_TRUE(updater.get_target_info("team/x"));
  EXPECT_FALSE(updater.get_target_info("team/missing"));
  EXPECT_FALSE(updater.get_target_info("elsewhere"));
  EXPECT_TRUE(repo_.requests().empty());
}

TEST_F(TufUpdater, CacheIsUsedOfflineWithoutTheNetwork) {
  {
    tuf::Updater online(options());
    online.refresh();
    ASSERT_TRUE(online.get_target_info("team/x"));  // caches team.json too
  }
  repo_.stop();
  // Online: the repository is unreachable, a network error (not a
  // verification failure), so a caller may fall back to the cache.
  tuf::Updater online(options());
  auto e = error_of([&] { online.refresh(); });
  EXPECT_EQ(e.kind(), ErrorKind::kNetwork);
  EXPECT_EQ(e.reason(), tuf::FailureReason::kNetwork);
  EXPECT_NE(std::string(e.what()).find("TUF 2.root.json: could not reach the TUF repository"), std::string::npos)
      << e.what();

  tuf::Updater offline(options(true));
  offline.refresh();
  auto status = offline.status();
  EXPECT_TRUE(status.offline);
  EXPECT_EQ(status.targets_version, 2u);
  EXPECT_FALSE(status.expired);
  ASSERT_TRUE(status.last_refreshed);
  auto info = offline.get_target_info("trusted_root.json");
  ASSERT_TRUE(info);
  EXPECT_TRUE(offline.get_target_info("team/x"));
  auto fetch = error_of([&] { offline.fetch_target(*info); });
  EXPECT_EQ(fetch.kind(), ErrorKind::kNetwork);
  EXPECT_NE(std::string(fetch.what()).find("not in the cache, and the updater is offline"), std::string::npos);

  // A week later the cached timestamp has expired: offline use fails closed
  // unless the caller accepts an expired cache, which status() then reports.
  auto later = options(true);
  later.reference_time = tuf::Clock::now() + std::chrono::hours(24 * 8);
  tuf::Updater strict(later);
  auto expired = error_of([&] { strict.refresh(); });
  EXPECT_EQ(expired.reason(), tuf::FailureReason::kExpired);
  EXPECT_NE(std::string(expired.what()).find("TUF timestamp.json: version 2 expired at"), std::string::npos);
  later.offline_allow_expired = true;
  tuf::Updater lenient(later);
  lenient.refresh();
  EXPECT_TRUE(lenient.status().expired);
  EXPECT_TRUE(lenient.get_target_info("trusted_root.json"));
}

TEST_F(TufUpdater, OfflineStillVerifiesTheCache) {
  tuf::Updater(options()).refresh();
  // A cached targets.json that is not the one the snapshot lists.
  json targets = json::parse(read_file(metadata_dir() / "targets.json"));
  targets["signed"]["targets"]["evil"] = {{"length", 1}, {"hashes", {{"sha256", std::string(64, '0')}}}};
  write_file(metadata_dir() / "targets.json", targets.dump());
  repo_.stop();
  tuf::Updater offline(options(true));
  auto e = error_of([&] { offline.refresh(); });
  EXPECT_EQ(e.reason(), tuf::FailureReason::kSignature);
  EXPECT_EQ(e.kind(), ErrorKind::kInvalidSignature);
  EXPECT_NE(std::string(e.what()).find("TUF targets.json: signed by 0 of the 1 required keys"), std::string::npos)
      << e.what();
  // With no cache at all.
  fs::remove(metadata_dir() / "snapshot.json");
  EXPECT_NE(std::string(error_of([&] { tuf::Updater(options(true)).refresh(); }).what())
                .find("TUF snapshot.json: not in the cache, and the updater is offline"),
            std::string::npos);
}

TEST_F(TufUpdater, VerificationFailuresAreNotNetworkErrors) {
  tuf::Updater(options()).refresh();
  repo_.control({{{"op", "set_expires"}, {"role", "timestamp"}, {"days", -1}}, {{"op", "update_timestamp"}}});
  auto e = error_of([&] { tuf::Updater(options()).refresh(); });
  EXPECT_EQ(e.kind(), ErrorKind::kUntrustedSigner);
  EXPECT_EQ(e.reason(), tuf::FailureReason::kExpired);
  EXPECT_EQ(e.subject(), "timestamp.json");
  // A server error is a network error.
  repo_.control({{{"op", "override"}, {"file", "timestamp.json"}, {"status", 503}, {"body", "busy"}}});
  auto busy = error_of([&] { tuf::Updater(options()).refresh(); });
  EXPECT_EQ(busy.kind(), ErrorKind::kNetwork);
  EXPECT_NE(std::string(busy.what()).find("answered HTTP 503"), std::string::npos) << busy.what();
}

TEST_F(TufUpdater, MaxRootRotationsIsBounded) {
  for (int i = 0; i < 5; ++i) repo_.control({{{"op", "bump_root"}}});
  auto o = options();
  o.limits.max_root_rotations = 3;
  tuf::Updater updater(o);
  updater.refresh();
  EXPECT_EQ(updater.status().root_version, 4u);
  tuf::Updater(options()).refresh();
  EXPECT_EQ(json::parse(read_file(metadata_dir() / "root.json"))["signed"]["version"], 6);
}

TEST(TufInit, RejectsWhatIsNotASelfSignedRoot) {
  TempDir dir;
  EXPECT_THROW(tuf::initialize_metadata_dir(dir.path() / "m", "{}"), tuf::TufError);
  EXPECT_FALSE(fs::exists(dir.path() / "m" / "root.json"));
  tuf::initialize_metadata_dir(dir.path() / "m",
                               read_file(shared_dir() / "sigstore" / "tuf" / "production" / "root.json"));
  EXPECT_TRUE(fs::exists(dir.path() / "m" / "root.json"));
  // An updater without a reachable repository fails with a network error
  // after loading the (expired) v15 root: loading it is allowed.
  tuf::UpdaterOptions o;
  o.metadata_dir = dir.path() / "m";
  o.metadata_url = "http://127.0.0.1:9/metadata";  // discard port: refused
  o.http.max_attempts = 1;
  tuf::Updater updater(o);
  try {
    updater.refresh();
    ADD_FAILURE() << "refresh succeeded";
  } catch (const tuf::TufError& e) {
    EXPECT_EQ(e.kind(), ErrorKind::kNetwork) << e.what();
    EXPECT_EQ(e.subject(), "16.root.json");
  }
}

}  // namespace
}  // namespace model_signing::testing
