#include "model_signing/error.h"

#include <algorithm>

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

namespace detail {

std::string one_line_message(const std::string& message) {
  // Messages are built from trusted text and excerpts of untrusted input;
  // whatever slipped through unescaped is escaped here, and a message made
  // long by an untrusted field is cut.
  auto utf8_boundary = [](std::string_view text, std::size_t cut) {
    while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xc0) == 0x80) --cut;
    return cut;
  };
  std::string_view raw = message;
  if (raw.size() > kMaxErrorMessage) raw = raw.substr(0, utf8_boundary(raw, kMaxErrorMessage));
  std::string text = util::printable(raw);
  if (raw.size() == message.size() && text.size() <= kMaxErrorMessage) return text;
  // Cut within the limit, not inside a UTF-8 sequence or a \xNN escape.
  std::size_t cut = utf8_boundary(text, std::min(text.size(), kMaxErrorMessage - 32));
  if (std::size_t slash = text.rfind('\\', cut); slash != std::string::npos && cut - slash < 9) cut = slash;
  text.resize(cut);
  return text + "... (" + std::to_string(message.size()) + " bytes)";
}

}  // namespace detail

namespace {

std::string mismatch_message(const std::vector<std::string>& extra,
                             const std::vector<std::string>& missing,
                             const std::vector<ModelMismatchError::DigestMismatch>& mismatched) {
  std::vector<std::string> parts;
  auto list = [&](const char* label, const std::vector<std::string>& names) {
    if (names.empty()) return;
    // The vectors hold every name; the message shows the first few.
    constexpr std::size_t kShown = 20;
    std::string part = label;
    part.append(": ");
    for (std::size_t i = 0; i < names.size() && i < kShown; ++i) {
      if (i) part.append(", ");
      part.append(util::excerpt(names[i], 256));
    }
    if (names.size() > kShown) part.append(" and " + std::to_string(names.size() - kShown) + " more");
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
