// describe_signature() for a bundle whose statement the caller has already
// read (verification has): the statement of a signature of a large model
// is megabytes of JSON, not worth parsing twice.
#pragma once

#include "model_signing/signature_info.h"

namespace model_signing::signing {

// As model_signing::describe_signature(bundle), with `manifest` the one
// manifest_from_statement() reads from the bundle's envelope.
SignatureInfo describe_signature(const Bundle& bundle, Manifest manifest);

}  // namespace model_signing::signing
