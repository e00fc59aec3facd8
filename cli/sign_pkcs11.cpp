// `sign pkcs11-key` and `sign pkcs11-certificate`: keys held in a PKCS#11
// token. Not implemented yet.
#include "sign_support.h"

namespace model_signing::cli {

void add_sign_pkcs11_methods(CLI::App* /*sign*/, int& /*exit_code*/) {}

}  // namespace model_signing::cli
