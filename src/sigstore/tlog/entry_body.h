// Checking the body of a transparency log entry (canonicalizedBody) against
// the bundle it claims to log: what the bundle says was signed, and the
// field readers and comparisons every entry type shares. The per-type
// checks are in rekor_v1.cpp and rekor_v2.cpp.
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "crypto/openssl.h"
#include "model_signing/bundle.h"

namespace model_signing::sigstore {

// What the bundle says was signed, and by whom.
struct SignedContent {
  Bytes signature;                        // the one signature the log must record
  const DsseEnvelope* envelope = nullptr;  // DSSE bundles
  // Message-signature bundles: the artifact's digest with `md`, or nullopt
  // when it cannot be computed (e.g. only a SHA-256 digest was given).
  std::function<std::optional<Bytes>(const EVP_MD* md)> artifact_digest;
  X509* certificate = nullptr;   // certificate bundles: the leaf
  EVP_PKEY* public_key = nullptr;  // key bundles
};

namespace entry_body {

using json = nlohmann::json;

// Throws Error(kInvalidSignature) "entry body does not match the bundle: <why>".
[[noreturn]] void mismatch(const std::string& why);

std::string bytes_text(const Bytes& b);

// Fields of the body; a malformed body is reported as a mismatch too.
// `ctx` names the object in messages ("spec.signature").
const json& field(const json& object, const char* key, const std::string& ctx);
std::string string_field(const json& object, const char* key, const std::string& ctx);
Bytes base64_field(const json& object, const char* key, const std::string& ctx);
Bytes hex_field(const json& object, const char* key, const std::string& ctx);

// The verification material recorded as a certificate (DER) or a public key
// (PEM or DER) must be the bundle's.
void check_certificate(const Bytes& der, const SignedContent& content);
void check_public_key(std::string_view pem_or_der, const SignedContent& content);
void check_signature(const Bytes& recorded, const SignedContent& content);
// The digest recorded for what was signed: the artifact for message
// signatures, the DSSE PAE for envelopes (client spec 4.4).
void check_signed_digest(const EVP_MD* md, const std::string& alg_name, const Bytes& recorded,
                         const SignedContent& content);
// A DSSE entry's hash of the envelope's payload.
void check_payload_hash(const EVP_MD* md, const std::string& alg_name, const Bytes& recorded,
                        const SignedContent& content);

}  // namespace entry_body
}  // namespace model_signing::sigstore
