// PENDING(issue 4): wired to the Sigstore verifier once it is in main. Until
// then nothing here is checked; this file must not reach main as it is.
#include "sigstore/sign/evidence_checks.h"

namespace model_signing::sigstore {

void check_issued_certificate(const TrustedRoot&, const std::vector<crypto::X509Ptr>&, Time,
                              const std::string&) {}
void check_timestamp(const TrustedRoot&, const Bytes&, const Bytes&, const std::string&) {}
void check_log_entry(const TrustedRoot&, const TransparencyLogEntry&, const Bundle&,
                     const std::string&) {}
void verify_signed_bundle(const TrustedRoot&, const Bundle&) {}

}  // namespace model_signing::sigstore
