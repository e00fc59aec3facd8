// The keyless Sigstore signer: identity token -> ephemeral key -> Fulcio
// certificate -> signature -> timestamps -> log entries -> bundle, each
// piece checked before the next step relies on it (evidence_checks.h).
// Without MS_WITH_SIGSTORE_SIGNING it is keyless_unavailable.cpp, which
// throws Error(kUnsupported).
#pragma once

#include <memory>
#include <optional>
#include <string>

#include "model_signing/bundle.h"
#include "model_signing/sigstore_sign.h"

namespace model_signing::sigstore {

// What to sign: a DSSE payload, or the bytes of an artifact.
struct Signable {
  std::optional<std::string> payload_type;  // set: DSSE
  std::string content;
};

class KeylessSigner {
 public:
  // Chooses the trust material now; throws Error(kInvalidArgument) for
  // unusable options. The token is obtained, and the services contacted,
  // when sign() runs.
  explicit KeylessSigner(SigstoreSigningOptions options);
  ~KeylessSigner();
  KeylessSigner(const KeylessSigner&) = delete;
  KeylessSigner& operator=(const KeylessSigner&) = delete;

  Bundle sign(const Signable& what) const;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace model_signing::sigstore
