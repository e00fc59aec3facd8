// Helpers for the Sigstore verifier tests: real bundles and trusted roots
// from ../shared as JSON to mutate, a verification that returns the error
// message, and a test timestamp authority.
#pragma once

#include <ctime>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

#include "model_signing/sigstore.h"
#include "support/test_pki.h"

namespace model_signing::sigstore::testing {

using nlohmann::json;

std::filesystem::path conformance_dir();
std::filesystem::path conformance_case(const std::string& name);
json read_json(const std::filesystem::path& path);
json production_root_json();

Bundle to_bundle(const json& bundle);
TrustedRoot to_root(const json& root);

// The conformance suite's default signer and artifact.
VerificationPolicy conformance_identity();
Artifact conformance_artifact();  // a.txt

// "" when verification succeeds, else the error message.
std::string verify_error(const json& bundle, const json& root, const Artifact& artifact,
                         const VerificationPolicy& policy);

// Flips one bit of the `index`-th byte of a base64 JSON string in place.
void flip_base64_byte(json& field, std::size_t index = 0);

std::time_t unix_seconds(const std::string& rfc3339);

// A timestamp authority (root CA + timeStamping leaf) that stamps any time.
class TestTimestampAuthority {
 public:
  TestTimestampAuthority();
  // A DER TimeStampResp over SHA-256(data) with genTime `when`.
  Bytes timestamp(const Bytes& data, std::time_t when) const;
  // A timestampAuthorities entry for a trusted root: chain [leaf, root].
  json trusted_root_entry(const std::string& valid_from = "2020-01-01T00:00:00Z") const;
  // The root CA (the trust anchor) and the signing leaf.
  const model_signing::testing::TestIdentity& root() const { return root_; }
  const model_signing::testing::TestIdentity& leaf() const { return leaf_; }

 private:
  model_signing::testing::TestIdentity root_;
  model_signing::testing::TestIdentity leaf_;
};

}  // namespace model_signing::sigstore::testing
