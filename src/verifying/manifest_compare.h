// Comparing the manifest a signature lists with the one computed locally.
#pragma once

#include "model_signing/manifest.h"

namespace model_signing::verifying {

// Throws ModelMismatchError listing extra, missing and modified resources.
// Resources are matched by name in any order. A single-file model's
// resource may be named "." (upstream) or after the file (OMS).
void compare_manifests(const Manifest& expected, const Manifest& actual, bool single_file,
                       bool ignore_extra);

}  // namespace model_signing::verifying
