// The key method's verifier: a PEM public key checks the envelope signature;
// RFC 3161 timestamps over it are checked when TSA anchors are given.
#include "crypto/ec_key.h"
#include "model_signing/error.h"
#include "model_signing/verifying.h"
#include "signing/dsse_envelope.h"
#include "signing/key/key_signer.h"
#include "signing/timestamp/timestamp_verification.h"
#include "util/encoding.h"

namespace model_signing {

namespace {

class KeyVerifier final : public Verifier {
 public:
  KeyVerifier(crypto::PkeyPtr key, const TimestampVerificationOptions& timestamps)
      : key_(std::move(key)), timestamps_(timestamps) {
    crypto::require_supported_ec_key(key_.get(), "public key");
    hint_ = signing::public_key_hint(key_.get());
  }

  VerifiedPayload verify(const Bundle& bundle) override {
    const DsseEnvelope& envelope =
        signing::method_envelope(bundle, {VerificationMaterial::Kind::kPublicKey}, "a key");
    const VerificationMaterial& vm = bundle.verification_material;
    VerifiedPayload result;
    if (vm.public_key_hint) {
      if (*vm.public_key_hint != hint_) {
        throw Error(ErrorKind::kInvalidSignature,
                    "public key does not match the key that signed: bundle key hint " +
                        util::excerpt(*vm.public_key_hint, 80) + ", given key " + hint_);
      }
    } else {
      result.warnings.push_back(
          "bundle has no public key hint (signed by model_signing before v1.1); checking the "
          "signature with the given key only");
    }
    signing::verify_envelope_signature(envelope, key_.get(), result.warnings);
    timestamps_.verify(vm, envelope.signatures[0].sig, result);
    result.payload_type = envelope.payload_type;
    result.payload = envelope.payload;
    return result;
  }

 private:
  crypto::PkeyPtr key_;
  signing::TimestampVerifier timestamps_;
  std::string hint_;
};

}  // namespace

std::unique_ptr<Verifier> signing::make_key_verifier(crypto::PkeyPtr public_key) {
  return std::make_unique<KeyVerifier>(std::move(public_key), TimestampVerificationOptions{});
}

std::unique_ptr<Verifier> make_key_verifier(const std::filesystem::path& public_key,
                                            const TimestampVerificationOptions& timestamps) {
  return std::make_unique<KeyVerifier>(crypto::load_public_key_pem(public_key), timestamps);
}

VerifyingConfig& VerifyingConfig::use_key_verifier(const std::filesystem::path& public_key,
                                                   const TimestampVerificationOptions& timestamps) {
  return use_verifier(make_key_verifier(public_key, timestamps));
}

}  // namespace model_signing
