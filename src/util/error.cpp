#include "model_signing/error.h"

#include "util/encoding.h"

namespace model_signing {

const char* to_string(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::kInvalidArgument:
      return "invalid argument";
    case ErrorKind::kIo:
      return "I/O error";
    case ErrorKind::kModelLayout:
      return "unacceptable model layout";
    case ErrorKind::kUnsupported:
      return "unsupported";
    case ErrorKind::kMalformedBundle:
      return "malformed bundle";
    case ErrorKind::kInvalidSignature:
      return "invalid signature";
    case ErrorKind::kUntrustedSigner:
      return "untrusted signer";
    case ErrorKind::kKey:
      return "key error";
    case ErrorKind::kModelMismatch:
      return "model mismatch";
    case ErrorKind::kNetwork:
      return "network error";
    case ErrorKind::kToken:
      return "token error";
  }
  return "error";
}

namespace {

std::string mismatch_message(const std::vector<std::string>& extra,
                             const std::vector<std::string>& missing,
                             const std::vector<ModelMismatchError::DigestMismatch>& mismatched) {
  std::vector<std::string> parts;
  auto list = [&](const char* label, const std::vector<std::string>& names) {
    if (names.empty()) return;
    std::string part = label;
    part.append(": ");
    for (std::size_t i = 0; i < names.size(); ++i) {
      if (i) part.append(", ");
      part.append(util::printable(names[i]));
    }
    parts.push_back(std::move(part));
  };
  list("extra files (not in the signature)", extra);
  list("missing files", missing);
  std::vector<std::string> changed;
  for (const auto& m : mismatched) changed.push_back(m.name);
  list("modified files (digest differs)", changed);
  std::string msg = "model does not match the signature:";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    msg.append(i ? "; " : " ");
    msg.append(parts[i]);
  }
  return msg;
}

}  // namespace

ModelMismatchError::ModelMismatchError(std::vector<std::string> extra,
                                       std::vector<std::string> missing,
                                       std::vector<DigestMismatch> mismatched)
    : Error(ErrorKind::kModelMismatch, mismatch_message(extra, missing, mismatched)),
      extra_(std::move(extra)),
      missing_(std::move(missing)),
      mismatched_(std::move(mismatched)) {}

}  // namespace model_signing
