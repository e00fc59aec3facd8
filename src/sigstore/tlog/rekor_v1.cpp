// What the verifier checks for a Rekor v1 entry (hashedrekord 0.0.1, dsse
// 0.0.1, intoto 0.0.2): the body records the bundle's signature, key or
// certificate and digest; a signed entry timestamp (SET) vouches for the
// integrated time, at which the log's key must have been valid; an
// inclusion proof, when present (required in v0.2+ bundles), leads to a
// checkpoint the log signed.
#include <openssl/pem.h>

#include "crypto/key_algorithm.h"
#include "model_signing/error.h"
#include "sigstore/tlog/entry_body.h"
#include "sigstore/tlog/signed_entry_timestamp.h"
#include "sigstore/tlog/transparency_log.h"
#include "util/encoding.h"
#include "util/json_util.h"

namespace model_signing::sigstore {

namespace {

using namespace entry_body;

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
  auto twice = util::base64_decode(bytes_text(once));
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
  if (bytes_text(double_base64_field(envelope, "payload", "spec.content.envelope")) !=
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

void check_body(const ParsedLogEntry& entry, const SignedContent& content) {
  const json& spec = field(entry.body, "spec", "body");
  switch (entry.type.body) {
    case EntryBodyType::kHashedRekordV001:
      return check_hashedrekord_v001(spec, content);
    case EntryBodyType::kDsseV001:
      return check_dsse_v001(spec, content);
    case EntryBodyType::kIntotoV002:
      return check_intoto_v002(spec, content);
    default:
      mismatch("not a Rekor v1 entry type");
  }
}

}  // namespace

VerifiedTlogEntry verify_rekor_v1_entry(const ParsedLogEntry& entry, const TrustedLog& log,
                                        const SignedContent& content,
                                        const TlogRequirements& required) {
  const TransparencyLogEntry& raw = *entry.entry;
  check_body(entry, content);
  VerifiedTlogEntry result{&log, entry, std::nullopt};
  if (raw.signed_entry_timestamp) {
    verify_signed_entry_timestamp(raw, log);
    Time integrated = Time(std::chrono::seconds(raw.integrated_time));
    require_log_key_valid(log, integrated, "the entry's integrated time");
    result.integrated_time = integrated;
  } else if (required.inclusion_promise) {
    throw Error(ErrorKind::kInvalidSignature,
                "it has no signed entry timestamp (inclusionPromise), which a v0.1 bundle requires");
  }
  if (raw.inclusion_proof) {
    verify_inclusion_proof(raw, log, required.inclusion_proof);
  } else if (required.inclusion_proof) {
    throw Error(ErrorKind::kInvalidSignature, "it has no inclusion proof");
  }
  return result;
}

}  // namespace model_signing::sigstore
