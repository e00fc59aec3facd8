// Reading and writing the protobuf-JSON form of a Sigstore bundle.
#include <algorithm>

#include "bundle/tlog_entry_json.h"
#include "model_signing/bundle.h"
#include "model_signing/error.h"
#include "util/encoding.h"
#include "util/error_context.h"
#include "util/file_io.h"
#include "util/json_util.h"

namespace model_signing {

namespace {

using json_util::json;
using ojson = nlohmann::ordered_json;

constexpr std::string_view kKnownMediaTypes[] = {
    "application/vnd.dev.sigstore.bundle+json;version=0.1",
    "application/vnd.dev.sigstore.bundle+json;version=0.2",
    "application/vnd.dev.sigstore.bundle+json;version=0.3",
    "application/vnd.dev.sigstore.bundle.v0.3+json",
};

std::string field(const std::string& context, const std::string& name) {
  return context.empty() ? name : context + "." + name;
}

DsseEnvelope parse_envelope(const json& value) {
  const std::string ctx = "dsseEnvelope";
  json_util::require_object(value, ctx);
  DsseEnvelope envelope;
  auto payload = json_util::get_bytes(json_util::require(value, "payload", ctx), ctx + ".payload");
  envelope.payload.assign(payload.begin(), payload.end());
  envelope.payload_type =
      json_util::get_string(json_util::require(value, "payloadType", ctx), ctx + ".payloadType");
  const json& sigs =
      json_util::require_array(json_util::require(value, "signatures", ctx), ctx + ".signatures");
  for (std::size_t i = 0; i < sigs.size(); ++i) {
    std::string sctx = ctx + ".signatures[" + std::to_string(i) + "]";
    json_util::require_object(sigs[i], sctx);
    DsseSignature sig;
    sig.sig = json_util::get_bytes(json_util::require(sigs[i], "sig", sctx), sctx + ".sig");
    if (const json* keyid = json_util::find(sigs[i], "keyid")) {
      sig.keyid = json_util::get_string(*keyid, sctx + ".keyid");
    }
    envelope.signatures.push_back(std::move(sig));
  }
  return envelope;
}

MessageSignature parse_message_signature(const json& value) {
  const std::string ctx = "messageSignature";
  json_util::require_object(value, ctx);
  MessageSignature ms;
  if (const json* digest = json_util::find(value, "messageDigest")) {
    std::string dctx = ctx + ".messageDigest";
    json_util::require_object(*digest, dctx);
    if (const json* alg = json_util::find(*digest, "algorithm")) {
      ms.digest_algorithm = json_util::get_string(*alg, dctx + ".algorithm");
    }
    if (const json* d = json_util::find(*digest, "digest")) {
      ms.digest = json_util::get_bytes(*d, dctx + ".digest");
    }
  }
  ms.signature = json_util::get_bytes(json_util::require(value, "signature", ctx), ctx + ".signature");
  return ms;
}

TransparencyLogEntry parse_tlog_entry(const json& value, const std::string& ctx) {
  json_util::require_object(value, ctx);
  TransparencyLogEntry entry;
  entry.log_index = json_util::get_int64(json_util::require(value, "logIndex", ctx), field(ctx, "logIndex"));
  const json& log_id = json_util::require_object(json_util::require(value, "logId", ctx), field(ctx, "logId"));
  entry.log_id = json_util::get_bytes(json_util::require(log_id, "keyId", field(ctx, "logId")),
                                      field(ctx, "logId.keyId"));
  const json& kv = json_util::require_object(json_util::require(value, "kindVersion", ctx),
                                             field(ctx, "kindVersion"));
  entry.kind = json_util::get_string(json_util::require(kv, "kind", field(ctx, "kindVersion")),
                                     field(ctx, "kindVersion.kind"));
  entry.version = json_util::get_string(
      json_util::require(kv, "version", field(ctx, "kindVersion")), field(ctx, "kindVersion.version"));
  if (const json* t = json_util::find(value, "integratedTime")) {
    entry.integrated_time = json_util::get_int64(*t, field(ctx, "integratedTime"));
  }
  if (const json* promise = json_util::find(value, "inclusionPromise")) {
    std::string pctx = field(ctx, "inclusionPromise");
    json_util::require_object(*promise, pctx);
    entry.signed_entry_timestamp = json_util::get_bytes(
        json_util::require(*promise, "signedEntryTimestamp", pctx), pctx + ".signedEntryTimestamp");
  }
  if (const json* proof = json_util::find(value, "inclusionProof")) {
    std::string pctx = field(ctx, "inclusionProof");
    json_util::require_object(*proof, pctx);
    InclusionProof p;
    p.log_index = json_util::get_int64(json_util::require(*proof, "logIndex", pctx), pctx + ".logIndex");
    p.root_hash = json_util::get_bytes(json_util::require(*proof, "rootHash", pctx), pctx + ".rootHash");
    p.tree_size = json_util::get_int64(json_util::require(*proof, "treeSize", pctx), pctx + ".treeSize");
    if (const json* hashes = json_util::find(*proof, "hashes")) {
      json_util::require_array(*hashes, pctx + ".hashes");
      for (std::size_t i = 0; i < hashes->size(); ++i) {
        p.hashes.push_back(
            json_util::get_bytes((*hashes)[i], pctx + ".hashes[" + std::to_string(i) + "]"));
      }
    }
    if (const json* cp = json_util::find(*proof, "checkpoint")) {
      json_util::require_object(*cp, pctx + ".checkpoint");
      p.checkpoint = json_util::get_string(json_util::require(*cp, "envelope", pctx + ".checkpoint"),
                                           pctx + ".checkpoint.envelope");
    }
    entry.inclusion_proof = std::move(p);
  }
  entry.canonicalized_body = json_util::get_bytes(json_util::require(value, "canonicalizedBody", ctx),
                                                  field(ctx, "canonicalizedBody"));
  return entry;
}

VerificationMaterial parse_material(const json& value) {
  const std::string ctx = "verificationMaterial";
  json_util::require_object(value, ctx);
  VerificationMaterial vm;
  const json* public_key = json_util::find(value, "publicKey");
  const json* chain = json_util::find(value, "x509CertificateChain");
  const json* certificate = json_util::find(value, "certificate");
  int kinds = (public_key ? 1 : 0) + (chain ? 1 : 0) + (certificate ? 1 : 0);
  if (kinds == 0) {
    json_util::fail(ctx, "needs one of publicKey, x509CertificateChain or certificate");
  }
  if (kinds > 1) {
    json_util::fail(ctx, "has more than one of publicKey, x509CertificateChain and certificate");
  }
  if (public_key) {
    vm.kind = VerificationMaterial::Kind::kPublicKey;
    std::string pctx = ctx + ".publicKey";
    json_util::require_object(*public_key, pctx);
    if (const json* hint = json_util::find(*public_key, "hint")) {
      vm.public_key_hint = json_util::get_string(*hint, pctx + ".hint");
    }
    if (const json* raw = json_util::find(*public_key, "rawBytes")) {
      vm.public_key_raw = json_util::get_bytes(*raw, pctx + ".rawBytes");
    }
    if (const json* details = json_util::find(*public_key, "keyDetails")) {
      vm.public_key_details = json_util::get_string(*details, pctx + ".keyDetails");
    }
  } else if (chain) {
    vm.kind = VerificationMaterial::Kind::kX509CertificateChain;
    std::string cctx = ctx + ".x509CertificateChain";
    json_util::require_object(*chain, cctx);
    const json& certs =
        json_util::require_array(json_util::require(*chain, "certificates", cctx), cctx + ".certificates");
    if (certs.empty()) json_util::fail(cctx + ".certificates", "is empty");
    for (std::size_t i = 0; i < certs.size(); ++i) {
      std::string ictx = cctx + ".certificates[" + std::to_string(i) + "]";
      json_util::require_object(certs[i], ictx);
      vm.certificates.push_back(
          json_util::get_bytes(json_util::require(certs[i], "rawBytes", ictx), ictx + ".rawBytes"));
    }
  } else {
    vm.kind = VerificationMaterial::Kind::kCertificate;
    std::string cctx = ctx + ".certificate";
    json_util::require_object(*certificate, cctx);
    vm.certificates.push_back(
        json_util::get_bytes(json_util::require(*certificate, "rawBytes", cctx), cctx + ".rawBytes"));
  }
  for (const auto& cert : vm.certificates) {
    if (cert.empty()) json_util::fail(ctx, "empty certificate");
  }
  if (const json* entries = json_util::find(value, "tlogEntries")) {
    json_util::require_array(*entries, ctx + ".tlogEntries");
    vm.tlog_entries_present = true;
    for (std::size_t i = 0; i < entries->size(); ++i) {
      vm.tlog_entries.push_back(
          parse_tlog_entry((*entries)[i], ctx + ".tlogEntries[" + std::to_string(i) + "]"));
    }
  }
  // A single `certificate` is Sigstore keyless material, which is only
  // evidence together with a transparency log entry (OMS §4.1: "tlogEntries
  // MUST contain at least one"); key and certificate-chain bundles may have none.
  if (vm.kind == VerificationMaterial::Kind::kCertificate && vm.tlog_entries.empty()) {
    json_util::fail(ctx, "a Sigstore certificate bundle has no transparency log entries "
                         "(verificationMaterial.tlogEntries); it needs at least one");
  }
  if (const json* tvd = json_util::find(value, "timestampVerificationData")) {
    std::string tctx = ctx + ".timestampVerificationData";
    json_util::require_object(*tvd, tctx);
    if (const json* stamps = json_util::find(*tvd, "rfc3161Timestamps")) {
      json_util::require_array(*stamps, tctx + ".rfc3161Timestamps");
      for (std::size_t i = 0; i < stamps->size(); ++i) {
        std::string sctx = tctx + ".rfc3161Timestamps[" + std::to_string(i) + "]";
        json_util::require_object((*stamps)[i], sctx);
        vm.rfc3161_timestamps.push_back(json_util::get_bytes(
            json_util::require((*stamps)[i], "signedTimestamp", sctx), sctx + ".signedTimestamp"));
      }
    }
  }
  return vm;
}

ojson write_tlog_entry(const TransparencyLogEntry& entry) {
  ojson out;
  out["logIndex"] = std::to_string(entry.log_index);
  out["logId"] = {{"keyId", util::base64_encode(entry.log_id)}};
  out["kindVersion"] = {{"kind", entry.kind}, {"version", entry.version}};
  out["integratedTime"] = std::to_string(entry.integrated_time);
  if (entry.signed_entry_timestamp) {
    out["inclusionPromise"] = {{"signedEntryTimestamp", util::base64_encode(*entry.signed_entry_timestamp)}};
  }
  if (entry.inclusion_proof) {
    const InclusionProof& p = *entry.inclusion_proof;
    ojson proof;
    proof["logIndex"] = std::to_string(p.log_index);
    proof["rootHash"] = util::base64_encode(p.root_hash);
    proof["treeSize"] = std::to_string(p.tree_size);
    proof["hashes"] = ojson::array();
    for (const auto& h : p.hashes) proof["hashes"].push_back(util::base64_encode(h));
    proof["checkpoint"] = {{"envelope", p.checkpoint}};
    out["inclusionProof"] = std::move(proof);
  }
  out["canonicalizedBody"] = util::base64_encode(entry.canonicalized_body);
  return out;
}

ojson write_material(const VerificationMaterial& vm) {
  ojson out;
  switch (vm.kind) {
    case VerificationMaterial::Kind::kPublicKey: {
      ojson key = ojson::object();
      if (vm.public_key_hint) key["hint"] = *vm.public_key_hint;
      if (vm.public_key_raw) key["rawBytes"] = util::base64_encode(*vm.public_key_raw);
      if (!vm.public_key_details.empty()) key["keyDetails"] = vm.public_key_details;
      out["publicKey"] = std::move(key);
      break;
    }
    case VerificationMaterial::Kind::kX509CertificateChain: {
      ojson certs = ojson::array();
      for (const auto& c : vm.certificates) certs.push_back({{"rawBytes", util::base64_encode(c)}});
      out["x509CertificateChain"] = {{"certificates", std::move(certs)}};
      break;
    }
    case VerificationMaterial::Kind::kCertificate:
      out["certificate"] = {
          {"rawBytes", vm.certificates.empty() ? "" : util::base64_encode(vm.certificates[0])}};
      break;
  }
  if (vm.tlog_entries_present || !vm.tlog_entries.empty()) {
    ojson entries = ojson::array();
    for (const auto& e : vm.tlog_entries) entries.push_back(write_tlog_entry(e));
    out["tlogEntries"] = std::move(entries);
  }
  if (!vm.rfc3161_timestamps.empty()) {
    ojson stamps = ojson::array();
    for (const auto& t : vm.rfc3161_timestamps) {
      stamps.push_back({{"signedTimestamp", util::base64_encode(t)}});
    }
    out["timestampVerificationData"] = {{"rfc3161Timestamps", std::move(stamps)}};
  }
  return out;
}

}  // namespace

TransparencyLogEntry parse_transparency_log_entry(const json& value, const std::string& context) {
  return parse_tlog_entry(value, context);
}

Bundle parse_bundle(std::string_view text) {
  json doc = json_util::parse(text, "bundle");
  if (!doc.is_object()) json_util::fail("bundle", "expected a JSON object");
  Bundle bundle;
  bundle.media_type = json_util::get_string(json_util::require(doc, "mediaType", "bundle"), "bundle.mediaType");
  if (std::find(std::begin(kKnownMediaTypes), std::end(kKnownMediaTypes), bundle.media_type) ==
      std::end(kKnownMediaTypes)) {
    json_util::fail("bundle.mediaType", "unsupported media type '" + util::excerpt(bundle.media_type) + "'");
  }
  bundle.verification_material =
      parse_material(json_util::require(doc, "verificationMaterial", "bundle"));
  const json* envelope = json_util::find(doc, "dsseEnvelope");
  const json* message = json_util::find(doc, "messageSignature");
  if (envelope && message) json_util::fail("bundle", "has both dsseEnvelope and messageSignature");
  if (!envelope && !message) json_util::fail("bundle", "missing field 'dsseEnvelope'");
  if (envelope) bundle.dsse_envelope = parse_envelope(*envelope);
  if (message) bundle.message_signature = parse_message_signature(*message);
  return bundle;
}

Bundle read_bundle_file(const std::string& path) {
  std::string text = util::read_file(path, kMaxBundleFileSize);
  return util::with_error_prefix("invalid signature file " + path, [&] { return parse_bundle(text); });
}

std::string serialize_bundle(const Bundle& bundle) {
  ojson out;
  out["mediaType"] = bundle.media_type;
  out["verificationMaterial"] = write_material(bundle.verification_material);
  if (bundle.dsse_envelope) {
    const DsseEnvelope& env = *bundle.dsse_envelope;
    ojson sigs = ojson::array();
    for (const auto& s : env.signatures) {
      sigs.push_back({{"sig", util::base64_encode(s.sig)}, {"keyid", s.keyid}});
    }
    out["dsseEnvelope"] = {{"payload", util::base64_encode(env.payload)},
                           {"payloadType", env.payload_type},
                           {"signatures", std::move(sigs)}};
  }
  if (bundle.message_signature) {
    const MessageSignature& ms = *bundle.message_signature;
    ojson m;
    if (!ms.digest.empty()) {
      m["messageDigest"] = {{"algorithm", ms.digest_algorithm}, {"digest", util::base64_encode(ms.digest)}};
    }
    m["signature"] = util::base64_encode(ms.signature);
    out["messageSignature"] = std::move(m);
  }
  return json_util::dump_python_style(out);
}

}  // namespace model_signing
