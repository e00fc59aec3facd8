#include <gtest/gtest.h>

#include <cstdlib>

#include "support/test_support.h"

int main(int argc, char** argv) {
  ::testing::InitGoogleTest(&argc, argv);
  // Tests, and the programs they run, never read or write the user's cache
  // (the Sigstore trust cached from TUF): each test process gets an empty one.
  model_signing::testing::TempDir cache;
  ::setenv("XDG_CACHE_HOME", cache.path().c_str(), 1);
  return RUN_ALL_TESTS();
}
