// Finding the PKCS#11 module (shared library) a URI asks for.
#pragma once

#include <filesystem>
#include <vector>

#include "pkcs11/pkcs11_uri.h"

namespace model_signing::pkcs11 {

// Where Debian installs PKCS#11 modules: p11-kit's module directory
// (/usr/lib/<multiarch>/pkcs11), SoftHSM2's (/usr/lib/softhsm and
// /usr/lib/<multiarch>/softhsm), and the directories the Python tool searches
// (/usr/lib64/pkcs11, /usr/lib/pkcs11).
std::vector<std::filesystem::path> default_module_directories();

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
