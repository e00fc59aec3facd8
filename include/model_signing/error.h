// Typed errors returned (thrown) by the library.
//
// Every failure a caller can cause surfaces as a model_signing::Error whose
// what() is a single line naming the thing and the reason. The kind lets a
// program react without parsing messages.
#pragma once

#include <cstddef>
#include <stdexcept>
#include <string>
#include <vector>

#pragma GCC visibility push(default)  // the public API (src/CMakeLists.txt)
namespace model_signing {

enum class ErrorKind {
  kInvalidArgument,     // bad configuration or flag value
  kIo,                  // a file could not be read or written
  kModelLayout,         // the model tree itself is unacceptable (symlink, FIFO, empty...)
  kUnsupported,         // a key type, curve, algorithm or format we do not support
  kMalformedBundle,     // the signature file is not a well-formed bundle
  kInvalidSignature,    // the signature does not verify
  kUntrustedSigner,     // certificate/identity/trust checks failed
  kKey,                 // a key could not be loaded or does not match
  kModelMismatch,       // the model differs from what was signed
  kNetwork,             // a remote service failed
  kToken,               // a hardware token (PKCS#11) failed
};

const char* to_string(ErrorKind kind);

namespace detail {
// The message as Error keeps it: one line, whatever it quotes (control
// characters and terminal escapes written as \xNN), at most
// kMaxErrorMessage bytes (longer ones are cut and say so).
inline constexpr std::size_t kMaxErrorMessage = 1024;
std::string one_line_message(const std::string& message);
}  // namespace detail

// A setting that would have changed the outcome, for callers to name in
// their own terms (the CLI names its flag, a binding its parameter).
enum class Remedy {
  kNone,
  kAllowSymlinks,            // HashingConfig::allow_symlinks
  kAllowExpiredCertificate,  // CertificateVerifierOptions::allow_expired_certificate
};

class Error : public std::runtime_error {
 public:
  Error(ErrorKind kind, const std::string& message, Remedy remedy = Remedy::kNone)
      : std::runtime_error(detail::one_line_message(message)), kind_(kind), remedy_(remedy) {}
  ErrorKind kind() const { return kind_; }
  Remedy remedy() const { return remedy_; }

 private:
  ErrorKind kind_;
  Remedy remedy_;
};

// Raised when the local model does not match the signed manifest. The message
// lists everything; the vectors let callers render their own report.
class ModelMismatchError : public Error {
 public:
  struct DigestMismatch {
    std::string name;
    std::string expected_hex;
    std::string actual_hex;
  };

  ModelMismatchError(std::vector<std::string> extra,
                     std::vector<std::string> missing,
                     std::vector<DigestMismatch> mismatched);

  // Files present in the model but not in the signature.
  const std::vector<std::string>& extra() const { return extra_; }
  // Files in the signature but absent from the model.
  const std::vector<std::string>& missing() const { return missing_; }
  const std::vector<DigestMismatch>& mismatched() const { return mismatched_; }

 private:
  std::vector<std::string> extra_;
  std::vector<std::string> missing_;
  std::vector<DigestMismatch> mismatched_;
};

}  // namespace model_signing
#pragma GCC visibility pop
