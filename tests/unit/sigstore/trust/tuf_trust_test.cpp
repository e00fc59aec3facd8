// Sigstore trust through TUF (select_trust_config with TufTrustOptions)
// against the local repository simulator: the cache's layout and reuse,
// bootstrapping, offline use, the network gone, and hostile answers that
// fail whatever the cache holds.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdlib>
#include <thread>

#include "model_signing/sigstore_trust.h"
#include "sigstore/trust/embedded_trust.h"
#include "support/expect_error.h"
#include "support/test_support.h"
#include "unit/tuf/tuf_repo_server.h"

namespace model_signing::sigstore {
namespace {

namespace fs = std::filesystem;
using testing::expect_error;
using testing::read_file;
using testing::shared_dir;
using testing::write_file;

std::string production_trusted_root() {
  return read_file(shared_dir() / "sigstore" / "trust" / "production" / "trusted_root.json");
}
std::string production_signing_config() {
  return read_file(shared_dir() / "sigstore" / "trust" / "production" / "signing_config.v0.2.json");
}

bool mentions(const std::vector<std::string>& lines, const std::string& needle) {
  for (const auto& line : lines) {
    if (line.find(needle) != std::string::npos) return true;
  }
  return false;
}

// A fetcher for tests that must not touch the network: records the URLs it
// is asked for and answers as told.
class RecordingFetcher : public tuf::Fetcher {
 public:
  enum class Mode { kUnreachable, kNotFound };
  explicit RecordingFetcher(Mode mode) : mode_(mode) {}
  Result fetch(const std::string& url, std::size_t) override {
    urls.push_back(url);
    if (mode_ == Mode::kUnreachable) throw Error(ErrorKind::kNetwork, "could not resolve host (test)");
    Result r;
    r.status = Result::Status::kNotFound;
    return r;
  }
  std::vector<std::string> urls;

 private:
  Mode mode_;
};

class TufTrust : public ::testing::Test {
 protected:
  void SetUp() override {
    repo_.control({{{"op", "add_target"}, {"path", "trusted_root.json"}, {"content", production_trusted_root()}},
                   {{"op", "add_target"},
                    {"path", "signing_config.v0.2.json"},
                    {"content", production_signing_config()}},
                   {{"op", "publish"}, {"roles", {"targets"}}},
                   {{"op", "update_snapshot"}}});
    write_file(dir_ / "root.json", repo_.metadata("1.root.json"));
  }

  TrustOptions options(TrustUpdate update = TrustUpdate::kTuf) const {
    TrustOptions o;
    o.tuf.update = update;
    o.tuf.repository_url = repo_.repository_url();
    o.tuf.initial_root = dir_ / "root.json";
    o.tuf.cache_dir = cache_dir();
    o.tuf.http.max_attempts = 1;
    return o;
  }

  fs::path cache_dir() const { return dir_ / "cache"; }
  fs::path repo_cache() const { return tuf_cache_dir(cache_dir(), repo_.repository_url()); }

  std::vector<std::string> target_requests() const {
    std::vector<std::string> out;
    for (const auto& r : repo_.requests()) {
      if (r.rfind("/targets/", 0) == 0) out.push_back(r);
    }
    return out;
  }

  testing::TufRepoServer repo_;
  testing::TempDir dir_;
};

TEST_F(TufTrust, FetchesTheTrustedRootIntoThePerRepositoryCache) {
  SelectedTrust trust = select_trust_config(options());
  EXPECT_EQ(trust.origin, SelectedTrust::Origin::kTufRepository);
  EXPECT_TRUE(trust.warnings.empty());
  EXPECT_EQ(trust.repository_url, repo_.repository_url());
  ASSERT_TRUE(trust.metadata);
  EXPECT_EQ(trust.metadata->targets_version, 2u);
  EXPECT_EQ(trust.config.trusted_root.tlogs.at(0).base_url, "https://rekor.sigstore.dev");
  EXPECT_FALSE(trust.config.signing_config);  // verification does not need it
  ASSERT_EQ(trust.info.size(), 1u);
  EXPECT_NE(trust.info[0].find("from the TUF repository " + repo_.repository_url()), std::string::npos);
  EXPECT_NE(trust.info[0].find("refreshed just now"), std::string::npos) << trust.info[0];

  // CACHE/<percent-encoded URL>/{metadata,targets}
  EXPECT_EQ(trust.cache, repo_cache());
  EXPECT_EQ(repo_cache().parent_path(), cache_dir());
  EXPECT_EQ(repo_cache().filename().string().rfind("http%3A%2F%2F127.0.0.1%3A", 0), 0u) << repo_cache();
  for (const char* f : {"root.json", "timestamp.json", "snapshot.json", "targets.json"}) {
    EXPECT_TRUE(fs::exists(repo_cache() / "metadata" / f)) << f;
  }
  EXPECT_EQ(read_file(repo_cache() / "targets" / "trusted_root.json"), production_trusted_root());
  EXPECT_FALSE(fs::exists(repo_cache() / "targets" / "signing_config.v0.2.json"));
  // Metadata from the top level of the repository, as Sigstore lays it out.
  auto requests = repo_.requests();
  EXPECT_NE(std::find(requests.begin(), requests.end(), "/timestamp.json"), requests.end());

  // Unchanged: the cached target is used, not downloaded again.
  repo_.clear_requests();
  trust = select_trust_config(options());
  EXPECT_EQ(trust.origin, SelectedTrust::Origin::kTufRepository);
  EXPECT_TRUE(target_requests().empty());
  EXPECT_EQ(trust.config.trusted_root.tlogs.size(), 2u);
}

TEST_F(TufTrust, AnUnwritableCacheIsReplacedByATemporaryOne) {
  write_file(cache_dir(), "a file where the cache directory should be");
  SelectedTrust trust = select_trust_config(options());
  EXPECT_EQ(trust.origin, SelectedTrust::Origin::kTufRepository);
  ASSERT_EQ(trust.warnings.size(), 1u);
  EXPECT_NE(trust.warnings[0].find("cannot create the TUF cache " + repo_cache().string()), std::string::npos)
      << trust.warnings[0];
  EXPECT_NE(trust.warnings[0].find("; using a temporary TUF cache for this run"), std::string::npos);
  EXPECT_TRUE(trust.cache.empty());
  EXPECT_EQ(trust.config.trusted_root.tlogs.size(), 2u);
}

TEST_F(TufTrust, SigningFetchesTheSigningConfigToo) {
  TrustOptions o = options();
  o.need_signing_config = true;
  SelectedTrust trust = select_trust_config(o);
  ASSERT_TRUE(trust.config.signing_config);
  EXPECT_EQ(trust.config.signing_config->ca_urls.at(0).url, "https://fulcio.sigstore.dev");
  EXPECT_EQ(read_file(repo_cache() / "targets" / "signing_config.v0.2.json"), production_signing_config());
}

TEST_F(TufTrust, APrivateRepositoryWithoutASigningConfigCannotSign) {
  repo_.control({{{"op", "set_field"}, {"role", "targets"}, {"path", {"targets", "signing_config.v0.2.json"}}},
                 {{"op", "publish"}, {"roles", {"targets"}}},
                 {{"op", "update_snapshot"}}});
  TrustOptions o = options();
  o.need_signing_config = true;
  EXPECT_TRUE(expect_error([&] { select_trust_config(o); }, ErrorKind::kInvalidArgument,
                           "TUF target signing_config.v0.2.json: the TUF repository " + repo_.repository_url() +
                               " does not list it; signing needs it"));
}

TEST_F(TufTrust, APrivateRepositoryNeedsItsInitialRoot) {
  TrustOptions o = options();
  o.tuf.initial_root.clear();
  EXPECT_TRUE(expect_error([&] { select_trust_config(o); }, ErrorKind::kInvalidArgument,
                           "no root.json to start trusting the TUF repository " + repo_.repository_url()));
  EXPECT_TRUE(repo_.requests().empty());
  // Once cached, the cached root is the starting point.
  select_trust_config(options());
  EXPECT_EQ(select_trust_config(o).origin, SelectedTrust::Origin::kTufRepository);
}

TEST_F(TufTrust, OfflineUsesTheCacheAndNeverTheNetwork) {
  select_trust_config(options());
  repo_.clear_requests();
  SelectedTrust trust = select_trust_config(options(TrustUpdate::kTufOffline));
  EXPECT_EQ(trust.origin, SelectedTrust::Origin::kTufCache);
  EXPECT_TRUE(trust.warnings.empty());
  EXPECT_EQ(trust.config.trusted_root.tlogs.at(0).base_url, "https://rekor.sigstore.dev");
  ASSERT_EQ(trust.info.size(), 1u);
  EXPECT_NE(trust.info[0].find("last refreshed"), std::string::npos) << trust.info[0];
  EXPECT_NE(trust.info[0].find("(just now)"), std::string::npos) << trust.info[0];
  EXPECT_TRUE(repo_.requests().empty());

  // A changed cached target no longer matches the cached metadata.
  write_file(repo_cache() / "targets" / "trusted_root.json", "{}");
  EXPECT_TRUE(expect_error([&] { select_trust_config(options(TrustUpdate::kTufOffline)); },
                           ErrorKind::kUntrustedSigner, "is not the one the cached metadata lists"));
}

TEST_F(TufTrust, OfflineWithoutACacheUsesTheEmbeddedTrustOfAPublicInstance) {
  auto fetcher = std::make_shared<RecordingFetcher>(RecordingFetcher::Mode::kUnreachable);
  TrustOptions o;
  o.tuf.update = TrustUpdate::kTufOffline;
  o.tuf.cache_dir = cache_dir();
  o.tuf.fetcher = fetcher;
  SelectedTrust trust = select_trust_config(o);
  EXPECT_EQ(trust.origin, SelectedTrust::Origin::kEmbedded);
  EXPECT_TRUE(trust.warnings.empty());
  EXPECT_EQ(trust.repository_url, kProductionTufUrl);
  EXPECT_EQ(trust.config.trusted_root.tlogs.size(),
            embedded_trust_config(Instance::kProduction).trusted_root.tlogs.size());
  EXPECT_TRUE(mentions(trust.info, "the production trust built into model_signing"));
  EXPECT_TRUE(fetcher->urls.empty());

  o.use_staging = true;
  trust = select_trust_config(o);
  EXPECT_EQ(trust.repository_url, kStagingTufUrl);
  EXPECT_EQ(trust.config.trusted_root.tlogs.at(0).base_url, "https://rekor.sigstage.dev");

  // A private repository has nothing to fall back to.
  EXPECT_TRUE(expect_error([&] { select_trust_config(options(TrustUpdate::kTufOffline)); }, ErrorKind::kNetwork,
                           "no trust for the TUF repository " + repo_.repository_url() + " is cached"));
  EXPECT_TRUE(repo_.requests().empty());
}

TEST_F(TufTrust, TheEmbeddedTufRootBootstrapsThePublicRepository) {
  auto fetcher = std::make_shared<RecordingFetcher>(RecordingFetcher::Mode::kNotFound);
  TrustOptions o;
  o.tuf.update = TrustUpdate::kTuf;
  o.tuf.cache_dir = cache_dir();
  o.tuf.fetcher = fetcher;
  fs::path cache = tuf_cache_dir(cache_dir(), std::string(kProductionTufUrl));
  EXPECT_EQ(cache.filename(), "https%3A%2F%2Ftuf-repo-cdn.sigstore.dev");
  // The embedded root (version 15) expired on 2026-11-20; with no newer
  // root published the update must stop there (spec 5.3.10).
  EXPECT_TRUE(expect_error([&] { select_trust_config(o); }, ErrorKind::kUntrustedSigner,
                           "TUF root.json: version 15 expired at 2026-11-20T13:58:18Z"));
  ASSERT_FALSE(fetcher->urls.empty());
  EXPECT_EQ(fetcher->urls[0], "https://tuf-repo-cdn.sigstore.dev/16.root.json");
  EXPECT_EQ(read_file(cache / "metadata" / "root.json"), embedded::kProductionTufRoot);
}

TEST_F(TufTrust, NetworkGoneFallsBackToTheCacheUnlessFreshTrustIsRequired) {
  select_trust_config(options());
  repo_.stop();
  SelectedTrust trust = select_trust_config(options());
  EXPECT_EQ(trust.origin, SelectedTrust::Origin::kTufCache);
  ASSERT_EQ(trust.warnings.size(), 1u);
  EXPECT_NE(trust.warnings[0].find("cannot reach the TUF repository " + repo_.repository_url()), std::string::npos)
      << trust.warnings[0];
  EXPECT_NE(trust.warnings[0].find("using the trust cached from"), std::string::npos) << trust.warnings[0];
  EXPECT_NE(trust.warnings[0].find("last refreshed"), std::string::npos) << trust.warnings[0];
  EXPECT_EQ(trust.config.trusted_root.tlogs.size(), 2u);

  TrustOptions fresh = options();
  fresh.tuf.require_fresh = true;
  EXPECT_TRUE(expect_error([&] { select_trust_config(fresh); }, ErrorKind::kNetwork,
                           "could not reach the TUF repository"));
}

TEST_F(TufTrust, NetworkGoneWithoutACacheUsesTheEmbeddedTrustWithAWarning) {
  auto fetcher = std::make_shared<RecordingFetcher>(RecordingFetcher::Mode::kUnreachable);
  TrustOptions o;
  o.tuf.update = TrustUpdate::kTuf;
  o.tuf.cache_dir = cache_dir();
  o.tuf.fetcher = fetcher;
  SelectedTrust trust = select_trust_config(o);
  EXPECT_EQ(trust.origin, SelectedTrust::Origin::kEmbedded);
  ASSERT_EQ(trust.warnings.size(), 1u);
  EXPECT_NE(trust.warnings[0].find("cannot reach the TUF repository https://tuf-repo-cdn.sigstore.dev"),
            std::string::npos)
      << trust.warnings[0];
  EXPECT_NE(trust.warnings[0].find("using the production trust built into model_signing"), std::string::npos);

  o.tuf.require_fresh = true;
  EXPECT_TRUE(expect_error([&] { select_trust_config(o); }, ErrorKind::kNetwork, "could not resolve host"));
}

TEST_F(TufTrust, AHostileAnswerFailsWhateverTheCacheHolds) {
  select_trust_config(options());
  // A freeze attack: an expired timestamp is not a network failure.
  repo_.control({{{"op", "set_expires"}, {"role", "timestamp"}, {"days", -1}}, {{"op", "update_timestamp"}}});
  std::string message;
  EXPECT_TRUE(expect_error([&] { select_trust_config(options()); }, ErrorKind::kUntrustedSigner,
                           "TUF timestamp.json: version 3 expired at", &message));
  EXPECT_NE(message.find("freeze attack"), std::string::npos) << message;
}

TEST_F(TufTrust, ATargetWhoseHashDiffersIsNotCached) {
  repo_.control({{{"op", "set_artifact"}, {"path", "trusted_root.json"},
                  {"content", std::string(production_trusted_root().size(), ' ')}}});
  EXPECT_TRUE(expect_error([&] { select_trust_config(options()); }, ErrorKind::kUntrustedSigner,
                           "TUF target trusted_root.json: its sha256 hash differs from the one targets.json lists"));
  EXPECT_FALSE(fs::exists(repo_cache() / "targets" / "trusted_root.json"));
}

TEST_F(TufTrust, ExpiredCachedMetadataIsUsedOfflineWithAWarning) {
  // A timestamp valid for two more seconds.
  repo_.control({{{"op", "set_expires"}, {"role", "timestamp"}, {"days", 2.0 / 86400}}, {{"op", "update_timestamp"}}});
  select_trust_config(options());
  std::this_thread::sleep_for(std::chrono::seconds(3));
  SelectedTrust trust = select_trust_config(options(TrustUpdate::kTufOffline));
  EXPECT_EQ(trust.origin, SelectedTrust::Origin::kTufCache);
  EXPECT_TRUE(mentions(trust.warnings, "the cached TUF metadata of the TUF repository " + repo_.repository_url() +
                                           " expired at"))
      << (trust.warnings.empty() ? "" : trust.warnings[0]);
  // Online, the expired timestamp is refused.
  EXPECT_TRUE(expect_error([&] { select_trust_config(options()); }, ErrorKind::kUntrustedSigner, "expired"));
}

TEST_F(TufTrust, ATrustConfigFileOverridesTuf) {
  TrustOptions o = options();
  o.trust_config = shared_dir() / "sigstore" / "trust" / "staging" / "trusted_root.json";
  SelectedTrust trust = select_trust_config(o);
  EXPECT_EQ(trust.origin, SelectedTrust::Origin::kTrustConfigFile);
  EXPECT_EQ(trust.config.trusted_root.tlogs.at(0).base_url, "https://rekor.sigstage.dev");
  EXPECT_TRUE(repo_.requests().empty());
  EXPECT_FALSE(fs::exists(cache_dir()));
}

TEST(TufCacheDir, FollowsXdgCacheHomeThenHome) {
  const char* xdg = std::getenv("XDG_CACHE_HOME");
  const char* home = std::getenv("HOME");
  std::string saved_xdg = xdg ? xdg : "", saved_home = home ? home : "";
  ::setenv("XDG_CACHE_HOME", "/var/cache/me", 1);
  EXPECT_EQ(default_tuf_cache_dir(), fs::path("/var/cache/me/model_signing/tuf"));
  ::setenv("XDG_CACHE_HOME", "relative/ignored", 1);  // the XDG spec: absolute paths only
  ::setenv("HOME", "/home/me", 1);
  EXPECT_EQ(default_tuf_cache_dir(), fs::path("/home/me/.cache/model_signing/tuf"));
  ::unsetenv("XDG_CACHE_HOME");
  EXPECT_EQ(default_tuf_cache_dir(), fs::path("/home/me/.cache/model_signing/tuf"));
  if (xdg) ::setenv("XDG_CACHE_HOME", saved_xdg.c_str(), 1);
  if (home) ::setenv("HOME", saved_home.c_str(), 1);
  EXPECT_EQ(tuf_cache_dir("/c", "https://tuf-repo-cdn.sigstore.dev/"),
            fs::path("/c/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev"));
}

}  // namespace
}  // namespace model_signing::sigstore
