#include "verifying/envelope_signature.h"

#include "bundle/dsse.h"
#include "crypto/ec_key.h"
#include "crypto/signature.h"
#include "model_signing/error.h"

namespace model_signing::verifying {

const DsseEnvelope& require_single_signature_envelope(const Bundle& bundle) {
  if (!bundle.dsse_envelope) {
    throw Error(ErrorKind::kMalformedBundle,
                "bundle has no DSSE envelope (a model signature is a dsseEnvelope)");
  }
  const DsseEnvelope& envelope = *bundle.dsse_envelope;
  if (envelope.signatures.size() != 1) {
    throw Error(ErrorKind::kMalformedBundle,
                "DSSE envelope must carry exactly one signature, found " +
                    std::to_string(envelope.signatures.size()));
  }
  return envelope;
}

void verify_envelope_signature(const DsseEnvelope& envelope, EVP_PKEY* key,
                               std::vector<std::string>& warnings) {
  crypto::EcCurve curve = crypto::require_supported_ec_key(key, "signing key");
  const EVP_MD* md = crypto::hash_for_curve(curve);
  const auto& sig = envelope.signatures.at(0).sig;
  if (crypto::verify_signature(key, md, dsse::pae(envelope.payload_type, envelope.payload), sig)) {
    return;
  }
  // v0.2.0 hashed with SHA-256 whatever the curve.
  if (crypto::verify_signature(key, EVP_sha256(),
                               dsse::legacy_v020_pae(envelope.payload_type, envelope.payload),
                               sig)) {
    warnings.push_back(
        "signature uses the pre-authentication encoding of model_signing v0.2.0; re-sign the "
        "model with a current version");
    return;
  }
  throw Error(ErrorKind::kInvalidSignature,
              "signature does not verify: the DSSE envelope was not signed by this key or was "
              "modified");
}

}  // namespace model_signing::verifying
