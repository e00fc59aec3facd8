// The identity a Fulcio certificate vouches for: its subject alternative
// name and the OIDC issuer extension, and the policy that compares them.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "crypto/openssl.h"
#include "model_signing/sigstore.h"

namespace model_signing::sigstore {

// Email (rfc822Name), URI and Fulcio username (otherName
// 1.3.6.1.4.1.57264.1.7, UTF8String) entries of the SAN extension.
std::vector<std::string> certificate_identities(X509* cert);

// 1.3.6.1.4.1.57264.1.8 (a DER UTF8String), else the deprecated
// 1.3.6.1.4.1.57264.1.1 (raw bytes); nullopt if neither is present.
// Throws Error(kUntrustedSigner) if the .8 extension is not a UTF8String.
std::optional<std::string> certificate_oidc_issuer(X509* cert);

// Throws Error(kUntrustedSigner) naming what differs.
void check_certificate_identity(X509* cert, const CertificateIdentity& expected);

}  // namespace model_signing::sigstore
