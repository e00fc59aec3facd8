#include "signing/dsse_envelope.h"

#include <algorithm>

#include "bundle/dsse.h"
#include "crypto/ec_key.h"
#include "crypto/signature.h"
#include "model_signing/error.h"

namespace model_signing::signing {

namespace {

std::string describe(VerificationMaterial::Kind kind) {
  switch (kind) {
    case VerificationMaterial::Kind::kPublicKey:
      return "a public key (use verify key)";
    case VerificationMaterial::Kind::kX509CertificateChain:
      return "a certificate chain (use verify certificate)";
    case VerificationMaterial::Kind::kCertificate:
      return "a Sigstore certificate (use verify sigstore)";
  }
  return "unknown";
}

}  // namespace

DsseEnvelope sign_envelope(CheckedKey& key, const std::string& statement) {
  DsseEnvelope envelope;
  envelope.payload = statement;
  envelope.payload_type = std::string(kInTotoPayloadType);
  envelope.signatures.push_back({key.sign(dsse::pae(envelope.payload_type, statement)), ""});
  return envelope;
}

const DsseEnvelope& method_envelope(const Bundle& bundle,
                                    std::initializer_list<VerificationMaterial::Kind> accepted,
                                    std::string_view signed_with) {
  VerificationMaterial::Kind kind = bundle.verification_material.kind;
  if (std::find(accepted.begin(), accepted.end(), kind) == accepted.end()) {
    throw Error(ErrorKind::kMalformedBundle, "bundle was not signed with " +
                                                 std::string(signed_with) +
                                                 ": its verification material is " + describe(kind));
  }
  return require_single_signature_envelope(bundle);
}

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

}  // namespace model_signing::signing
