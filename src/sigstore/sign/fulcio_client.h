// Fulcio's CreateSigningCertificate (POST /api/v2/signingCert): a PKCS#10
// request for the ephemeral key (its signature is the proof of possession)
// plus the identity token, answered by a certificate chain whose leaf
// embeds the CT log's SCT.
#pragma once

#include <string>
#include <vector>

#include "crypto/openssl.h"
#include "net/http_client.h"
#include "sigstore/oidc/identity_token.h"

namespace model_signing::sigstore {

// PEM PKCS#10 request for `key`, signed with it (SHA-256), naming the token's
// identity as its subject (Fulcio takes the identity from the token).
std::string make_certificate_request(EVP_PKEY* key, const std::string& identity);

// Leaf first. Throws Error(kNetwork) for service failures and malformed
// answers, Error(kUntrustedSigner) if the leaf does not certify `key`.
std::vector<crypto::X509Ptr> request_signing_certificate(const net::HttpClient& fulcio,
                                                         const std::string& base_url,
                                                         const IdentityToken& token,
                                                         EVP_PKEY* key);

}  // namespace model_signing::sigstore
