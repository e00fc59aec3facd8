// Built instead of the keyless signer when the library is configured with
// MS_WITH_SIGSTORE_SIGNING=OFF (no libcurl): every way in says so.
// Verifying Sigstore bundles needs no network and stays built in.
#include "model_signing/error.h"
#include "sigstore/sign/keyless_signer.h"

namespace model_signing::sigstore {

namespace {

[[noreturn]] void not_built_in() {
  throw Error(ErrorKind::kUnsupported,
              "Sigstore signing is not built into this model_signing (configured with "
              "MS_WITH_SIGSTORE_SIGNING=OFF); verifying Sigstore signatures still works");
}

}  // namespace

class KeylessSigner::Impl {};

KeylessSigner::KeylessSigner(SigstoreSigningOptions) { not_built_in(); }
KeylessSigner::~KeylessSigner() = default;

Bundle KeylessSigner::sign(const Signable&) const { not_built_in(); }

Bundle sign_message_keyless(const SigstoreSigningOptions&, const std::string&) { not_built_in(); }

Bundle sign_dsse_keyless(const SigstoreSigningOptions&, const std::string&, const std::string&) {
  not_built_in();
}

}  // namespace model_signing::sigstore
