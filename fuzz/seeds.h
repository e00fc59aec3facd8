// The seed inputs of every fuzz target, made from the shared vectors and
// Sigstore material (../shared) and from the fuzz fixtures: bundles, the
// statements, log entries, checkpoints, timestamps and certificates inside
// them, trust material, TUF metadata, and a few hand-made tokens and URIs.
// Written into the build by fuzz_seeds (never into the repository), and
// replayed through every target by the normal test suite.
#pragma once

#include <map>
#include <string>
#include <vector>

namespace model_signing::fuzz {

// Target name -> seed inputs.
std::map<std::string, std::vector<std::string>> make_seeds();

}  // namespace model_signing::fuzz
