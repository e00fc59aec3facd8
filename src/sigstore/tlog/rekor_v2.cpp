// What the verifier checks for a Rekor v2 entry (hashedrekord 0.0.2, dsse
// 0.0.2): the body records the bundle's signature, key or certificate and
// digest; there is no integrated time and no SET, so an inclusion proof with
// a checkpoint the log signed is always required, for the entry's own log
// index. The bundle-level rule that a v2 entry needs an RFC 3161 timestamp
// (and that the log's key was valid at it) is the bundle verifier's
// (BundleVerifierOptions::rekor_v2_requires_timestamp).
#include "crypto/key_algorithm.h"
#include "model_signing/error.h"
#include "sigstore/tlog/entry_body.h"
#include "sigstore/tlog/transparency_log.h"
#include "util/json_util.h"

namespace model_signing::sigstore {

namespace {

using namespace entry_body;

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

void check_body(const ParsedLogEntry& entry, const SignedContent& content) {
  const json& spec = field(entry.body, "spec", "body");
  switch (entry.type.body) {
    case EntryBodyType::kHashedRekordV002:
      return check_hashedrekord_v002(spec, content);
    case EntryBodyType::kDsseV002:
      return check_dsse_v002(spec, content);
    default:
      mismatch("not a Rekor v2 entry type");
  }
}

}  // namespace

VerifiedTlogEntry verify_rekor_v2_entry(const ParsedLogEntry& entry, const TrustedLog& log,
                                        const SignedContent& content) {
  const TransparencyLogEntry& raw = *entry.entry;
  check_body(entry, content);
  if (!raw.inclusion_proof) {
    throw Error(ErrorKind::kInvalidSignature, "it has no inclusion proof");
  }
  if (raw.inclusion_proof->log_index != raw.log_index) {
    throw Error(ErrorKind::kInvalidSignature,
                "inclusion proof is for log index " + std::to_string(raw.inclusion_proof->log_index) +
                    ", the entry has " + std::to_string(raw.log_index));
  }
  verify_inclusion_proof(raw, log, /*checkpoint_required=*/true);
  return {&log, entry, std::nullopt};
}

}  // namespace model_signing::sigstore
