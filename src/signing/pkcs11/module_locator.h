// Finding the PKCS#11 module (shared library) a URI asks for.
#pragma once

#include <filesystem>
#include <vector>

#include "signing/pkcs11/pkcs11_private_key.h"  // default_module_directories()
#include "signing/pkcs11/pkcs11_uri.h"

namespace model_signing::pkcs11 {

// module-path naming a file is used as is. module-name is searched in the
// module-path directory if one is given, else in `directories`; it matches a
// file whose name, up to its first dot, is the name or "lib" + name, ignoring
// case (module-name=softhsm2 and module-name=libsofthsm2 both find
// libsofthsm2.so), or whose full name is the name.
// Throws Error(kInvalidArgument) if the URI names no module or a relative
// module-path, Error(kToken) if no module is found.
std::filesystem::path locate_module(const Pkcs11Uri& uri,
                                    const std::vector<std::filesystem::path>& directories);

}  // namespace model_signing::pkcs11
