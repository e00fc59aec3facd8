#include "sigstore/tlog/entry_body.h"

#include "bundle/dsse.h"
#include "crypto/ec_key.h"
#include "crypto/key_algorithm.h"
#include "crypto/x509.h"
#include "model_signing/error.h"
#include "util/encoding.h"
#include "util/json_util.h"

namespace model_signing::sigstore::entry_body {

[[noreturn]] void mismatch(const std::string& why) {
  throw Error(ErrorKind::kInvalidSignature, "entry body does not match the bundle: " + why);
}

std::string bytes_text(const Bytes& b) { return std::string(b.begin(), b.end()); }

// A field of the body; malformed bodies are reported as mismatches too.
const json& field(const json& object, const char* key, const std::string& ctx) {
  if (!object.is_object()) mismatch(ctx + " is not an object");
  const json* value = json_util::find(object, key);
  if (!value) mismatch(ctx + " has no '" + key + "'");
  return *value;
}

std::string string_field(const json& object, const char* key, const std::string& ctx) {
  const json& value = field(object, key, ctx);
  if (!value.is_string()) mismatch(ctx + "." + key + " is not a string");
  return value.get<std::string>();
}

Bytes base64_field(const json& object, const char* key, const std::string& ctx) {
  auto decoded = util::base64_decode(string_field(object, key, ctx));
  if (!decoded) mismatch(ctx + "." + key + " is not base64");
  return *decoded;
}

// Checks the verification material recorded as a certificate (DER) or a
// public key (PEM or DER) against the bundle's.
void check_certificate(const Bytes& der, const SignedContent& content) {
  if (!content.certificate) mismatch("it records a certificate but the bundle has a public key");
  if (der != crypto::certificate_der(content.certificate)) {
    mismatch("it records a different signing certificate");
  }
}

void check_public_key(std::string_view pem_or_der, const SignedContent& content) {
  if (!content.public_key) mismatch("it records a public key but the bundle has a certificate");
  crypto::PkeyPtr key = crypto::parse_public_key(pem_or_der);
  if (!key) mismatch("its public key does not parse");
  if (!crypto::same_public_key(key.get(), content.public_key)) {
    mismatch("it records a different public key");
  }
}

void check_signature(const Bytes& recorded, const SignedContent& content) {
  if (recorded != content.signature) mismatch("it records a different signature");
}

// The digest the log recorded for what was signed: the artifact for message
// signatures, the DSSE PAE for envelopes (client spec 4.4).
void check_signed_digest(const EVP_MD* md, const std::string& alg_name, const Bytes& recorded,
                         const SignedContent& content) {
  if (!md) mismatch("unsupported digest algorithm '" + util::excerpt(alg_name) + "'");
  std::optional<Bytes> expected;
  if (content.envelope) {
    expected = crypto::digest_of(md, dsse::pae(content.envelope->payload_type, content.envelope->payload));
  } else if (content.artifact_digest) {
    expected = content.artifact_digest(md);
  }
  if (!expected) mismatch("cannot compute the artifact's " + alg_name + " digest to compare");
  if (recorded != *expected) mismatch("it records a different " + alg_name + " digest of what was signed");
}

void check_payload_hash(const EVP_MD* md, const std::string& alg_name, const Bytes& recorded,
                        const SignedContent& content) {
  if (!content.envelope) mismatch("a DSSE entry logs a bundle without a DSSE envelope");
  if (!md) mismatch("unsupported payload hash algorithm '" + util::excerpt(alg_name) + "'");
  if (recorded != crypto::digest_of(md, content.envelope->payload)) {
    mismatch("it records a different DSSE payload hash");
  }
}

Bytes hex_field(const json& object, const char* key, const std::string& ctx) {
  auto decoded = util::from_hex(string_field(object, key, ctx));
  if (!decoded) mismatch(ctx + "." + key + " is not hex");
  return *decoded;
}

}  // namespace model_signing::sigstore::entry_body
