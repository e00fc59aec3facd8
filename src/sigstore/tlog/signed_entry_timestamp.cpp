#include "sigstore/tlog/signed_entry_timestamp.h"

#include "crypto/key_algorithm.h"
#include "model_signing/error.h"
#include "sigstore/tlog/canonical_json.h"
#include "util/encoding.h"

namespace model_signing::sigstore {

std::string signed_entry_timestamp_payload(const TransparencyLogEntry& entry) {
  nlohmann::json payload = {
      {"body", util::base64_encode(entry.canonicalized_body)},
      {"integratedTime", entry.integrated_time},
      {"logID", util::to_hex(entry.log_id)},
      {"logIndex", entry.log_index},
  };
  return canonical_json(payload);
}

void verify_signed_entry_timestamp(const TransparencyLogEntry& entry, const TrustedLog& log) {
  if (!entry.signed_entry_timestamp) {
    throw Error(ErrorKind::kInvalidSignature, "it has no signed entry timestamp (inclusionPromise)");
  }
  if (!crypto::verify_message_signature(log.key(), signed_entry_timestamp_payload(entry),
                                *entry.signed_entry_timestamp, log.label + " key")) {
    throw Error(ErrorKind::kInvalidSignature,
                "signed entry timestamp (SET) does not verify with the key of " + log.label);
  }
}

}  // namespace model_signing::sigstore
