// RFC 3161 timestamps over a signature, from a timestamp authority's HTTP
// endpoint (application/timestamp-query -> application/timestamp-reply).
#pragma once

#include <string>

#include "model_signing/bundle.h"
#include "net/http_client.h"

namespace model_signing::sigstore {

// Asks `url` to timestamp SHA-256(signature) (with a random nonce, asking
// for the TSA's certificate) and returns the DER TimeStampResp, after
// checking that it was granted and answers this request (imprint, nonce).
// Whether the TSA is trusted is the verifier's question. Throws
// Error(kNetwork).
Bytes request_timestamp(const net::HttpClient& tsa, const std::string& url, const Bytes& signature);

}  // namespace model_signing::sigstore
