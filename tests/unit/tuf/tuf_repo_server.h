// The TUF repository simulator (tests/tuf_repo/server.js) as a test fixture:
// started on 127.0.0.1 for one test, driven through its control endpoint,
// stopped with the test.
#pragma once

#include <memory>
#include <string>

#include <nlohmann/json.hpp>

#include "support/child_process.h"

namespace model_signing::testing {

class TufRepoServer {
 public:
  TufRepoServer();
  ~TufRepoServer();

  std::string base_url() const { return base_url_; }
  std::string metadata_url() const { return base_url_ + "/metadata"; }
  std::string targets_url() const { return base_url_ + "/targets"; }
  // The repository as Sigstore lays it out: metadata at the top level,
  // targets under /targets (what --tuf-url takes).
  std::string repository_url() const { return base_url_; }

  // Applies repository operations (see server.js); returns the answer,
  // whose "keyids" maps each role to its keyids.
  nlohmann::json control(const nlohmann::json& ops) const;
  // The published bytes of a metadata file ("1.root.json", "timestamp.json").
  std::string metadata(const std::string& file) const;
  // Paths requested since the last clear_requests().
  std::vector<std::string> requests() const;
  void clear_requests() const;

  // Stops the server: its port then refuses connections (the network gone).
  void stop();

 private:
  std::unique_ptr<ChildProcess> server_;
  std::string base_url_;
};

}  // namespace model_signing::testing
