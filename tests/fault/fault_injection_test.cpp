// Fault injection: every I/O call the CLI makes on the sign and verify
// paths fails once, in turn, with EIO, ENOSPC, ENOMEM and EINTR.
//
// The call sites are not listed here: a clean run of each command under the
// shim (fault_shim.cpp) records every site it passes (the call and the
// program's frames on the stack), and each recorded site is then failed in
// a run of its own. A new call site is therefore tested as soon as it
// exists. Every run must end either in success (the call was retried, or
// was one that may fail: a read-ahead hint, a directory sync) with a
// correct result, or in exit 1 with one line on stderr naming the file (or
// the service) and the reason; a failed `sign` leaves no signature file
// and an existing one untouched.
//
// Also: a full filesystem (a small tmpfs, filled to the brim) while the
// signature is written.
#include <gtest/gtest.h>
#include <sys/mount.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <iostream>
#include <map>
#include <set>
#include <sstream>

#include "support/cli_expect.h"
#include "support/test_pki.h"
#include "support/test_support.h"
#ifdef MS_WITH_SIGSTORE_SIGNING
#include "support/sigstore/sigstore_stack.h"
#endif

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;

constexpr int kErrnos[] = {EIO, ENOSPC, ENOMEM, EINTR};

struct Site {
  std::string call;  // "open", "read", ...
  std::string key;   // the whole line: "<call> <frames>"
};

// The model, keys, certificates and signatures every scenario uses.
class Fixture {
 public:
  Fixture() {
    write_file(dir_ / "model/weights.bin", std::string(300 << 10, 'w'));  // mapped (> 256 KiB)
    write_file(dir_ / "model/config.json", "{\"layers\": 2}\n");
    write_file(dir_ / "model/sub/tokenizer.txt", "a b c\n");
    generate_ec_key("P-256", dir_ / "key.pem", dir_ / "key.pub");
    TestIdentity root = TestIdentity::make_root();
    TestIdentity leaf = root.issue(CertSpec{});
    root.write_cert_pem(dir_ / "root.pem");
    leaf.write_cert_pem(dir_ / "leaf.pem");
    leaf.write_key_pem(dir_ / "leaf.key");
    fs::create_directories(dir_ / "out");
    expect_ok(run_cli({"sign", "key", model().string(), "--private-key", path("key.pem"), "--signature",
                       path("key.sig")}));
    expect_ok(run_cli({"sign", "certificate", model().string(), "--private-key", path("leaf.key"),
                       "--signing-certificate", path("leaf.pem"), "--signature", path("cert.sig")}));
  }
  fs::path model() const { return dir_ / "model"; }
  std::string path(const std::string& rel) const { return (dir_ / rel).string(); }
  fs::path out_dir() const { return dir_ / "out"; }
  fs::path out() const { return dir_ / "out/model.sig"; }
  const fs::path& dir() const { return dir_.path(); }

 private:
  static void expect_ok(const CommandResult& r) { ASSERT_EQ(r.exit_code, 0) << r.err; }
  TempDir dir_;
};

struct Scenario {
  std::string name;
  // The CLI arguments; `existing` is the signature's prior contents for a
  // `sign` (empty: none), checked to be left alone on failure.
  std::function<std::vector<std::string>(const Fixture&)> args;
  bool signs = false;
  std::string existing;
  bool network = false;
};

void PrintTo(const Scenario& s, std::ostream* os) { *os << s.name; }

std::string basename_of(const std::string& path) {
  std::string name = fs::path(path).filename().string();
  // A temporary signature ".model.sig.tmp-<pid>-<n>" stands for model.sig.
  if (auto tmp = name.find(".tmp-"); !name.empty() && name[0] == '.' && tmp != std::string::npos) {
    name = name.substr(1, tmp - 1);
  }
  return name;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) {
    if (!line.empty()) lines.push_back(line);
  }
  return lines;
}

class FaultInjection : public ::testing::TestWithParam<Scenario> {
 protected:
  std::vector<std::string> shim_env(const std::vector<std::string>& extra) const {
    std::vector<std::string> env = {"LD_PRELOAD=" + std::string(MS_FAULT_SHIM),
                                    "MS_FAULT_RECORD", "MS_FAULT_SITE", "MS_FAULT_ERRNO", "MS_FAULT_REPORT",
                                    // One read path, so that every run passes the same call sites
                                    // (by measurement, the path would depend on the machine's
                                    // timing): mapped windows for large files; small files and
                                    // a failed mapping still pread() through the one reader the
                                    // other paths use.
                                    "MS_READ_STRATEGY=mmap"};
    // An instrumented CLI (the sanitizer build) lets the shim come first.
    const char* asan = std::getenv("ASAN_OPTIONS");
    env.push_back(std::string("ASAN_OPTIONS=") + (asan ? std::string(asan) + ":" : "") + "verify_asan_link_order=0");
    env.insert(env.end(), extra.begin(), extra.end());
    env.insert(env.end(), base_env_.begin(), base_env_.end());
    return env;
  }

  void reset_output(const Scenario& s) const {
    for (const auto& entry : fs::directory_iterator(fixture_.out_dir())) fs::remove_all(entry.path());
    if (!s.existing.empty()) write_file(fixture_.out(), s.existing);
  }

  // A clean run under the shim: every call site it passes.
  std::vector<Site> record(const Scenario& s, const std::vector<std::string>& args) {
    reset_output(s);
    fs::path log = fixture_.dir() / "sites.txt";
    fs::remove(log);
    CommandResult r = run_command(cli_path().string(), args, "", shim_env({"MS_FAULT_RECORD=" + log.string()}),
                                  std::chrono::seconds(120));
    EXPECT_EQ(r.exit_code, 0) << "the clean run failed: " << r.err;
    std::vector<Site> sites;
    for (const auto& line : lines_of(read_file(log))) sites.push_back({line.substr(0, line.find(' ')), line});
    return sites;
  }

  Fixture fixture_;
  std::vector<std::string> base_env_;
};

TEST_P(FaultInjection, EveryCallSiteFailsCleanly) {
  const Scenario& s = GetParam();
#ifdef MS_WITH_SIGSTORE_SIGNING
  std::unique_ptr<SigstoreStack> stack;
  if (s.network) {
    stack = std::make_unique<SigstoreStack>();
    base_env_ = {"GITHUB_ACTIONS", "ACTIONS_ID_TOKEN_REQUEST_URL", "SIGSTORE_ID_TOKEN",
                 "MS_FAULT_TOKEN=" + stack->token({{"sub", "fault@example.com"}, {"email", "fault@example.com"}}),
                 "MS_FAULT_TRUST=" + stack->trust_config().string()};
  }
#else
  if (s.network) GTEST_SKIP() << "built without Sigstore signing (MS_WITH_SIGSTORE_SIGNING=OFF): no network path";
#endif
  std::vector<std::string> args = s.args(fixture_);
  for (auto& a : args) {
    for (const auto& e : base_env_) {
      for (const char* var : {"MS_FAULT_TOKEN", "MS_FAULT_TRUST"}) {
        std::string prefix = std::string(var) + "=";
        if (a == std::string("$") + var && e.rfind(prefix, 0) == 0) a = e.substr(prefix.size());
      }
    }
  }
  std::vector<Site> sites = record(s, args);
  ASSERT_FALSE(sites.empty()) << "the shim recorded no call site (is LD_PRELOAD working?)";

  std::map<std::string, int> per_call;
  std::map<std::string, int> outcomes;
  std::vector<std::string> failures;
  for (const Site& site : sites) {
    ++per_call[site.call];
    for (int err : kErrnos) {
      reset_output(s);
      fs::path report = fixture_.dir() / "report.txt";
      fs::remove(report);
      CommandResult r = run_command(
          cli_path().string(), args, "",
          shim_env({"MS_FAULT_SITE=" + site.key, "MS_FAULT_ERRNO=" + std::to_string(err),
                    "MS_FAULT_REPORT=" + report.string()}),
          std::chrono::seconds(120));
      std::vector<std::string> fired = fs::exists(report) ? lines_of(read_file(report)) : std::vector<std::string>{};
      std::string what = site.key + " with " + strerrorname_np(err) + ": ";
      auto fail = [&](const std::string& why) { failures.push_back(what + why + "\n    stderr: " + r.err); };
      if (r.timed_out || r.exit_code < 0) {
        fail("crashed or hung (exit " + std::to_string(r.exit_code) + ")");
        continue;
      }
      if (fired.empty()) {
        // Not reached this time (the engine's threads may take another path).
        ++outcomes["not reached"];
        if (r.exit_code != 0) fail("failed without a fault");
        continue;
      }
      std::string path = fired[0].substr(fired[0].find('\t') + 1);
      path = path.substr(0, path.rfind('\t'));
      if (r.exit_code == 0) {
        ++outcomes["succeeded (retried or not needed)"];
        if (s.signs && args[1] != "sigstore") {
          // What was written is a signature that verifies.
          std::vector<std::string> verify = {"verify", args[1], fixture_.model().string(), "--signature",
                                             fixture_.out().string()};
          if (args[1] == "key") verify.insert(verify.end(), {"--public-key", fixture_.path("key.pub")});
          if (args[1] == "certificate") verify.insert(verify.end(), {"--certificate-chain", fixture_.path("root.pem")});
          if (run_cli(verify).exit_code != 0) fail("signed, but the signature does not verify");
        } else if (s.signs && !fs::exists(fixture_.out())) {
          fail("signed, but wrote no signature");
        } else if (!s.signs && r.out.empty()) {
          fail("exit 0 without a result");
        }
        continue;
      }
      ++outcomes["one-line error"];
      if (r.exit_code != 1) fail("exit " + std::to_string(r.exit_code));
      std::vector<std::string> err_lines = lines_of(r.err);
      if (err_lines.size() != 1 || r.err.back() != '\n') fail("not exactly one line on stderr");
      bool network = site.call == "connect" || site.call == "send" || site.call == "recv";
      if (network) {
        if (r.err.find("127.0.0.1") == std::string::npos && r.err.find("localhost") == std::string::npos) {
          fail("does not name the service");
        }
      } else {
        if (r.err.find(std::strerror(err)) == std::string::npos) fail("does not give the reason");
        if (r.err.find(basename_of(path)) == std::string::npos) fail("does not name " + path);
      }
      if (s.signs) {
        if (s.existing.empty() && fs::exists(fixture_.out())) fail("left a signature file behind");
        if (!s.existing.empty() && read_file(fixture_.out()) != s.existing) fail("changed the existing signature");
        for (const auto& entry : fs::directory_iterator(fixture_.out_dir())) {
          if (entry.path().filename().string().find(".tmp") != std::string::npos) fail("left a temporary file");
        }
      }
    }
  }
  std::cout << "  " << s.name << ": " << sites.size() << " call sites (";
  for (const auto& [call, n] : per_call) std::cout << call << " " << n << ", ";
  std::cout << "), " << sites.size() * std::size(kErrnos) << " runs:";
  for (const auto& [outcome, n] : outcomes) std::cout << " " << outcome << " " << n << ";";
  std::cout << "\n";
  for (const auto& f : failures) ADD_FAILURE() << f;
  // Each path exercises the calls it must.
  for (const char* call : {"open", "fstat"}) EXPECT_TRUE(per_call.count(call)) << call;
  // Keys and signatures are read(); model files pread() or mapped (digest
  // reads nothing else).
  EXPECT_TRUE(per_call.count("pread")) << "pread";
  if (s.name != "Digest") {
    EXPECT_TRUE(per_call.count("read")) << "read";
  }
  if (s.signs) {
    for (const char* call : {"write", "fsync", "rename"}) EXPECT_TRUE(per_call.count(call)) << call;
  }
  if (s.name != "VerifyKeyIgnoringUnsignedFiles") {
    EXPECT_TRUE(per_call.count("getdents")) << "getdents";
  }
  if (!s.network) {
    EXPECT_TRUE(per_call.count("mmap")) << "mmap";
  }
  if (s.network) {
    for (const char* call : {"connect", "send", "recv"}) EXPECT_TRUE(per_call.count(call)) << call;
  }
}

std::vector<Scenario> scenarios() {
  std::vector<Scenario> all;
  auto sign_key = [](const Fixture& f) {
    return std::vector<std::string>{"sign", "key", f.model().string(), "--private-key", f.path("key.pem"),
                                    "--signature", f.out().string()};
  };
  all.push_back({"SignKey", sign_key, true, "", false});
  all.push_back({"SignKeyOverAnExistingSignature", sign_key, true, "ORIGINAL SIGNATURE\n", false});
  all.push_back({"SignCertificate",
                 [](const Fixture& f) {
                   return std::vector<std::string>{"sign", "certificate", f.model().string(), "--private-key",
                                                   f.path("leaf.key"), "--signing-certificate", f.path("leaf.pem"),
                                                   "--signature", f.out().string()};
                 },
                 true, "", false});
  all.push_back({"VerifyKey",
                 [](const Fixture& f) {
                   return std::vector<std::string>{"verify", "key", f.model().string(), "--signature",
                                                   f.path("key.sig"), "--public-key", f.path("key.pub")};
                 },
                 false, "", false});
  all.push_back({"VerifyKeyIgnoringUnsignedFiles",
                 [](const Fixture& f) {
                   return std::vector<std::string>{"verify", "key", f.model().string(), "--signature",
                                                   f.path("key.sig"), "--public-key", f.path("key.pub"),
                                                   "--ignore-unsigned-files"};
                 },
                 false, "", false});
  all.push_back({"VerifyCertificate",
                 [](const Fixture& f) {
                   return std::vector<std::string>{"verify", "certificate", f.model().string(), "--signature",
                                                   f.path("cert.sig"), "--certificate-chain", f.path("root.pem")};
                 },
                 false, "", false});
  all.push_back({"Digest",
                 [](const Fixture& f) { return std::vector<std::string>{"digest", f.model().string()}; }, false, "",
                 false});
  all.push_back({"SignSigstore",
                 [](const Fixture& f) {
                   return std::vector<std::string>{"sign", "sigstore", f.model().string(), "--signature",
                                                   f.out().string(), "--identity-token", "$MS_FAULT_TOKEN",
                                                   "--trust-config", "$MS_FAULT_TRUST"};
                 },
                 true, "", true});
  return all;
}

INSTANTIATE_TEST_SUITE_P(Cli, FaultInjection, ::testing::ValuesIn(scenarios()),
                         [](const ::testing::TestParamInfo<Scenario>& info) { return info.param.name; });

// A filesystem with no room left: the signature cannot be written, and
// neither a partial file nor a changed signature is left behind.
class FullFilesystem : public ::testing::Test {
 protected:
  void SetUp() override {
    mount_point_ = fixture_.dir() / "full";
    fs::create_directories(mount_point_);
    if (::mount("tmpfs", mount_point_.c_str(), "tmpfs", 0, "size=256k") != 0) {
      int err = errno;
      // Only where a tmpfs cannot be mounted at all (no privilege): said so.
      ASSERT_TRUE(err == EPERM || err == EACCES) << "mount: " << std::strerror(err);
      GTEST_SKIP() << "cannot mount a tmpfs here (" << std::strerror(err)
                   << "): the full-filesystem test needs root with CAP_SYS_ADMIN";
    }
    mounted_ = true;
  }
  void TearDown() override {
    if (mounted_) {
      EXPECT_EQ(::umount2(mount_point_.c_str(), MNT_DETACH), 0) << std::strerror(errno);
    }
  }
  // Fills the filesystem, leaving `room` bytes (to the block).
  void fill(std::size_t room) {
    std::ofstream filler(mount_point_ / "filler", std::ios::binary);
    std::string block(4096, 'f');
    std::error_code ec;
    while (true) {
      auto space = fs::space(mount_point_, ec);
      ASSERT_FALSE(ec);
      if (space.available <= room) break;
      std::size_t n = std::min<std::size_t>(block.size(), space.available - room);
      filler.write(block.data(), static_cast<std::streamsize>(n));
      filler.flush();
      if (!filler) break;
    }
  }
  std::vector<std::string> sign_args() const {
    return {"sign", "key", fixture_.model().string(), "--private-key", fixture_.path("key.pem"), "--signature",
            (mount_point_ / "model.sig").string()};
  }

  Fixture fixture_;
  fs::path mount_point_;
  bool mounted_ = false;
};

TEST_F(FullFilesystem, SigningReportsNoSpaceAndLeavesNothing) {
  fill(0);
  CommandResult r = run_cli(sign_args());
  EXPECT_TRUE(one_line_failure(r, 1, "No space left on device"));
  EXPECT_NE(r.err.find("model.sig"), std::string::npos) << r.err;
  for (const auto& entry : fs::directory_iterator(mount_point_)) {
    EXPECT_EQ(entry.path().filename(), "filler") << "left behind: " << entry.path();
  }
}

// One page left: a key signature (under 4 KiB) just fits, and is whole.
TEST_F(FullFilesystem, ASignatureThatJustFitsIsWrittenWhole) {
  fill(4096);
  ASSERT_TRUE(succeeded(run_cli(sign_args())));
  EXPECT_TRUE(succeeded(run_cli({"verify", "key", fixture_.model().string(), "--signature",
                                 (mount_point_ / "model.sig").string(), "--public-key", fixture_.path("key.pub")})));
}

TEST_F(FullFilesystem, AnExistingSignatureIsLeftAsItWas) {
  write_file(mount_point_ / "model.sig", "ORIGINAL SIGNATURE\n");
  fill(0);
  CommandResult r = run_cli(sign_args());
  EXPECT_TRUE(one_line_failure(r, 1, "No space left on device"));
  EXPECT_EQ(read_file(mount_point_ / "model.sig"), "ORIGINAL SIGNATURE\n");
  // With room again, signing replaces it.
  fs::remove(mount_point_ / "filler");
  EXPECT_TRUE(succeeded(run_cli(sign_args())));
  EXPECT_NE(read_file(mount_point_ / "model.sig"), "ORIGINAL SIGNATURE\n");
}

}  // namespace
}  // namespace model_signing::testing
