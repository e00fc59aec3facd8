// Signers that sign the DSSE envelope here, with a key, and attach fixed
// verification material: the key and certificate methods (whatever holds
// the key: a PEM file, a PKCS#11 token, a PrivateKey of the caller's).
#pragma once

#include <memory>

#include "model_signing/signing.h"
#include "signing/checked_key.h"

namespace model_signing::signing {

std::unique_ptr<Signer> make_local_signer(std::unique_ptr<CheckedKey> key,
                                          VerificationMaterial material);

}  // namespace model_signing::signing
