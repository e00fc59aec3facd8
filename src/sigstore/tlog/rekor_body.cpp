#include "sigstore/tlog/rekor_body.h"

#include <openssl/pem.h>

#include "bundle/dsse.h"
#include "bundle/json_util.h"
#include "crypto/ec_key.h"
#include "crypto/x509.h"
#include "model_signing/error.h"
#include "crypto/key_algorithm.h"
#include "util/encoding.h"

namespace model_signing::sigstore {

namespace {

using json_util::json;

[[noreturn]] void mismatch(const std::string& why) {
  throw Error(ErrorKind::kInvalidSignature, "entry body does not match the bundle: " + why);
}

std::string to_string(const Bytes& b) { return std::string(b.begin(), b.end()); }

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

// Rekor v1: base64 of a PEM certificate or PEM public key.
void check_v1_verifier(const Bytes& pem, const SignedContent& content) {
  crypto::BioPtr bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  char* name = nullptr;
  char* header = nullptr;
  unsigned char* der = nullptr;
  long len = 0;
  int ok = PEM_read_bio(bio.get(), &name, &header, &der, &len);
  crypto::clear_openssl_errors();
  std::string type = ok == 1 ? name : "";
  Bytes bytes = ok == 1 ? Bytes(der, der + len) : Bytes();
  OPENSSL_free(name);
  OPENSSL_free(header);
  OPENSSL_free(der);
  if (type == "CERTIFICATE") {
    check_certificate(bytes, content);
  } else if (type == "PUBLIC KEY") {
    check_public_key(std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size()),
                     content);
  } else {
    mismatch("its verifier is neither a PEM certificate nor a PEM public key");
  }
}

// Rekor v2: Verifier {x509Certificate {rawBytes} | publicKey {rawBytes}, keyDetails}.
void check_v2_verifier(const json& verifier, const std::string& ctx, const SignedContent& content) {
  if (!verifier.is_object()) mismatch(ctx + " is not an object");
  if (const json* cert = json_util::find(verifier, "x509Certificate")) {
    check_certificate(base64_field(*cert, "rawBytes", ctx + ".x509Certificate"), content);
  } else if (const json* key = json_util::find(verifier, "publicKey")) {
    Bytes der = base64_field(*key, "rawBytes", ctx + ".publicKey");
    check_public_key(std::string_view(reinterpret_cast<const char*>(der.data()), der.size()),
                     content);
  } else {
    mismatch(ctx + " has neither x509Certificate nor publicKey");
  }
}

void check_signature(const Bytes& recorded, const SignedContent& content) {
  if (recorded != content.signature) mismatch("it records a different signature");
}

// The digest the log recorded for what was signed: the artifact for message
// signatures, the DSSE PAE for envelopes (client spec 4.4).
void check_signed_digest(const EVP_MD* md, const std::string& alg_name, const Bytes& recorded,
                         const SignedContent& content) {
  if (!md) mismatch("unsupported digest algorithm '" + alg_name + "'");
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
  if (!md) mismatch("unsupported payload hash algorithm '" + alg_name + "'");
  if (recorded != crypto::digest_of(md, content.envelope->payload)) {
    mismatch("it records a different DSSE payload hash");
  }
}

Bytes hex_field(const json& object, const char* key, const std::string& ctx) {
  auto decoded = util::from_hex(string_field(object, key, ctx));
  if (!decoded) mismatch(ctx + "." + key + " is not hex");
  return *decoded;
}

void check_hashedrekord_v001(const json& spec, const SignedContent& content) {
  const json& hash = field(field(spec, "data", "spec"), "hash", "spec.data");
  std::string alg = string_field(hash, "algorithm", "spec.data.hash");
  check_signed_digest(crypto::hash_by_rekor_name(alg), alg, hex_field(hash, "value", "spec.data.hash"),
                      content);
  const json& signature = field(spec, "signature", "spec");
  check_signature(base64_field(signature, "content", "spec.signature"), content);
  check_v1_verifier(
      base64_field(field(signature, "publicKey", "spec.signature"), "content",
                   "spec.signature.publicKey"),
      content);
}

void check_dsse_v001(const json& spec, const SignedContent& content) {
  const json& payload_hash = field(spec, "payloadHash", "spec");
  std::string alg = string_field(payload_hash, "algorithm", "spec.payloadHash");
  check_payload_hash(crypto::hash_by_rekor_name(alg), alg, hex_field(payload_hash, "value", "spec.payloadHash"),
                     content);
  const json& signatures = field(spec, "signatures", "spec");
  if (!signatures.is_array() || signatures.size() != 1) {
    mismatch("spec.signatures must hold exactly the bundle's one signature");
  }
  check_signature(base64_field(signatures[0], "signature", "spec.signatures[0]"), content);
  check_v1_verifier(base64_field(signatures[0], "verifier", "spec.signatures[0]"), content);
}

// intoto 0.0.2 stores the envelope's base64 fields base64-encoded once more.
Bytes double_base64_field(const json& object, const char* key, const std::string& ctx) {
  Bytes once = base64_field(object, key, ctx);
  auto twice = util::base64_decode(to_string(once));
  if (!twice) mismatch(ctx + "." + key + " is not base64 of base64");
  return *twice;
}

void check_intoto_v002(const json& spec, const SignedContent& content) {
  if (!content.envelope) mismatch("an intoto entry logs a bundle without a DSSE envelope");
  const json& body_content = field(spec, "content", "spec");
  const json& envelope = field(body_content, "envelope", "spec.content");
  if (string_field(envelope, "payloadType", "spec.content.envelope") != content.envelope->payload_type) {
    mismatch("it records a different DSSE payload type");
  }
  if (to_string(double_base64_field(envelope, "payload", "spec.content.envelope")) !=
      content.envelope->payload) {
    mismatch("it records a different DSSE payload");
  }
  if (const json* payload_hash = json_util::find(body_content, "payloadHash")) {
    std::string alg = string_field(*payload_hash, "algorithm", "spec.content.payloadHash");
    check_payload_hash(crypto::hash_by_rekor_name(alg), alg,
                       hex_field(*payload_hash, "value", "spec.content.payloadHash"), content);
  }
  const json& signatures = field(envelope, "signatures", "spec.content.envelope");
  if (!signatures.is_array() || signatures.size() != 1) {
    mismatch("spec.content.envelope.signatures must hold exactly the bundle's one signature");
  }
  const std::string sctx = "spec.content.envelope.signatures[0]";
  check_signature(double_base64_field(signatures[0], "sig", sctx), content);
  check_v1_verifier(base64_field(signatures[0], "publicKey", sctx), content);
}

void check_hashedrekord_v002(const json& spec, const SignedContent& content) {
  const std::string ctx = "spec.hashedRekordV002";
  const json& entry = field(spec, "hashedRekordV002", "spec");
  const json& data = field(entry, "data", ctx);
  std::string alg = string_field(data, "algorithm", ctx + ".data");
  check_signed_digest(crypto::hash_by_proto_name(alg), alg, base64_field(data, "digest", ctx + ".data"),
                      content);
  const json& signature = field(entry, "signature", ctx);
  check_signature(base64_field(signature, "content", ctx + ".signature"), content);
  check_v2_verifier(field(signature, "verifier", ctx + ".signature"), ctx + ".signature.verifier",
                    content);
}

void check_dsse_v002(const json& spec, const SignedContent& content) {
  const std::string ctx = "spec.dsseV002";
  const json& entry = field(spec, "dsseV002", "spec");
  const json& payload_hash = field(entry, "payloadHash", ctx);
  std::string alg = string_field(payload_hash, "algorithm", ctx + ".payloadHash");
  check_payload_hash(crypto::hash_by_proto_name(alg), alg,
                     base64_field(payload_hash, "digest", ctx + ".payloadHash"), content);
  const json& signatures = field(entry, "signatures", ctx);
  if (!signatures.is_array() || signatures.size() != 1) {
    mismatch(ctx + ".signatures must hold exactly the bundle's one signature");
  }
  check_signature(base64_field(signatures[0], "content", ctx + ".signatures[0]"), content);
  check_v2_verifier(field(signatures[0], "verifier", ctx + ".signatures[0]"),
                    ctx + ".signatures[0].verifier", content);
}

}  // namespace

bool is_supported_entry_type(const std::string& kind, const std::string& version) {
  return (kind == "hashedrekord" && (version == "0.0.1" || version == "0.0.2")) ||
         (kind == "dsse" && (version == "0.0.1" || version == "0.0.2")) ||
         (kind == "intoto" && version == "0.0.2");
}

bool is_rekor_v2_entry(const std::string& kind, const std::string& version) {
  // intoto 0.0.2 is a Rekor v1 type despite its version number.
  return (kind == "hashedrekord" || kind == "dsse") && version == "0.0.2";
}

void check_entry_body(const TransparencyLogEntry& entry, const SignedContent& content) {
  json body;
  try {
    body = json_util::parse(to_string(entry.canonicalized_body), "canonicalizedBody");
  } catch (const Error& e) {
    mismatch(std::string("it is not JSON: ") + e.what());
  }
  std::string kind = string_field(body, "kind", "body");
  std::string version = string_field(body, "apiVersion", "body");
  if (kind != entry.kind || version != entry.version) {
    mismatch("it is a " + kind + " " + version + " entry, the bundle says " + entry.kind + " " +
             entry.version);
  }
  const json& spec = field(body, "spec", "body");
  if (kind == "hashedrekord" && version == "0.0.1") return check_hashedrekord_v001(spec, content);
  if (kind == "dsse" && version == "0.0.1") return check_dsse_v001(spec, content);
  if (kind == "intoto" && version == "0.0.2") return check_intoto_v002(spec, content);
  if (kind == "hashedrekord" && version == "0.0.2") return check_hashedrekord_v002(spec, content);
  if (kind == "dsse" && version == "0.0.2") return check_dsse_v002(spec, content);
  mismatch("unsupported entry type " + kind + " " + version);
}

}  // namespace model_signing::sigstore
