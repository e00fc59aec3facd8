// TUF's canonical JSON (OLPC): a float or too deep a document is refused
// (std::invalid_argument, as documented), anything else written.
#include <stdexcept>

#include <nlohmann/json.hpp>

#include "fuzz_target.h"
#include "tuf/canonical_json.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(canonical_json_olpc) {
  nlohmann::json doc = nlohmann::json::parse(input.begin(), input.end(), nullptr, false);
  if (doc.is_discarded()) return;
  try {
    std::string canonical = tuf::olpc_canonical_json(doc);
    check(!canonical.empty(), "empty canonical JSON");
  } catch (const std::invalid_argument&) {
  }
}

}  // namespace model_signing::fuzz
