#include "tuf/tuf_error.h"

#include "util/encoding.h"

namespace model_signing::tuf {

namespace {

ErrorKind kind_for(FailureReason reason) {
  switch (reason) {
    case FailureReason::kNetwork:
      return ErrorKind::kNetwork;
    case FailureReason::kNotFound:
      return ErrorKind::kInvalidArgument;
    case FailureReason::kIo:
      return ErrorKind::kIo;
    case FailureReason::kSignature:
      return ErrorKind::kInvalidSignature;
    case FailureReason::kTooLarge:
    case FailureReason::kMalformed:
    case FailureReason::kRollback:
    case FailureReason::kExpired:
    case FailureReason::kMismatch:
      break;
  }
  return ErrorKind::kUntrustedSigner;
}

}  // namespace

TufError::TufError(FailureReason reason, std::string subject, const std::string& message)
    : Error(kind_for(reason), message), reason_(reason), subject_(std::move(subject)) {}

std::string role_file(std::string_view role) { return util::printable(role) + ".json"; }

void fail(FailureReason reason, const std::string& subject, const std::string& why) {
  throw TufError(reason, subject, "TUF " + subject + ": " + why);
}

}  // namespace model_signing::tuf
