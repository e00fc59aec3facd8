// Umbrella header for the model_signing library.
#pragma once

#include "model_signing/bundle.h"
#include "model_signing/digest_sources.h"
#include "model_signing/error.h"
#include "model_signing/hashing.h"
#include "model_signing/log.h"
#include "model_signing/manifest.h"
#include "model_signing/pkcs11.h"
#include "model_signing/private_key.h"
#include "model_signing/signature_info.h"
#include "model_signing/signing.h"
#include "model_signing/verifying.h"
#include "model_signing/version.h"
