#include <gtest/gtest.h>

#include <cstdlib>

#include "support/test_support.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // Tests, and the programs they run, never read or write the user's cache
  // (the Sigstore trust cached from TUF): each test process gets an empty one.
  model_signing::testing::TempDir cache;
  ::setenv("XDG_CACHE_HOME", cache.path().c_str(), 1);
  // Tests need no internet and must not depend on it: whatever would go
  // out (the public Sigstore TUF repository, when a test does not name its
  // own trust) meets a closed local port instead; the local test services
  // on 127.0.0.1 are reached directly.
  for (const char* name : {"http_proxy", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"}) {
    ::setenv(name, "http://127.0.0.1:9", 1);
  }
  for (const char* name : {"no_proxy", "NO_PROXY"}) ::setenv(name, "127.0.0.1,localhost,::1", 1);
  return RUN_ALL_TESTS();
}
