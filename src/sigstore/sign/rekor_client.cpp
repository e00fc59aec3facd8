#include "sigstore/sign/rekor_client.h"

#include <openssl/pem.h>

#include <nlohmann/json.hpp>

#include "bundle/dsse.h"
#include "bundle/tlog_entry_json.h"
#include "crypto/digest.h"
#include "crypto/x509.h"
#include "model_signing/error.h"
#include "util/encoding.h"

namespace model_signing::sigstore {

namespace {

using nlohmann::json;

std::string entries_url(const std::string& base, const char* path) {
  std::string url = base;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + path;
}

[[noreturn]] void bad_answer(const std::string& what, const std::string& why) {
  throw Error(ErrorKind::kNetwork, what + " answered a malformed log entry: " + why);
}

const json& member(const json& object, const char* key, const std::string& what) {
  if (!object.is_object() || !object.contains(key)) bad_answer(what, std::string("no '") + key + "'");
  return object[key];
}

std::string string_member(const json& object, const char* key, const std::string& what) {
  const json& value = member(object, key, what);
  if (!value.is_string()) bad_answer(what, std::string("'") + key + "' is not a string");
  return value.get<std::string>();
}

std::int64_t int_member(const json& object, const char* key, const std::string& what) {
  const json& value = member(object, key, what);
  if (!value.is_number_integer()) bad_answer(what, std::string("'") + key + "' is not an integer");
  return value.get<std::int64_t>();
}

Bytes decode_base64(const std::string& text, const std::string& what, const char* field) {
  auto bytes = util::base64_decode(text);
  if (!bytes) bad_answer(what, std::string("'") + field + "' is not base64");
  return *bytes;
}

Bytes decode_hex(const std::string& text, const std::string& what, const char* field) {
  auto bytes = util::from_hex(text);
  if (!bytes) bad_answer(what, std::string("'") + field + "' is not hex");
  return *bytes;
}

std::string envelope_json(const DsseEnvelope& envelope) {
  json signatures = json::array();
  for (const auto& s : envelope.signatures) {
    signatures.push_back({{"keyid", s.keyid}, {"sig", util::base64_encode(s.sig)}});
  }
  return json{{"payload", util::base64_encode(envelope.payload)},
              {"payloadType", envelope.payload_type},
              {"signatures", signatures}}
      .dump();
}

std::string certificate_pem(X509* cert) {
  crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  PEM_write_bio_X509(bio.get(), cert);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

// POSTs an entry request; returns the JSON answer and, in `what`, the
// service and URL for messages.
json parse_answer(const std::string& body, const std::string& what) {
  auto doc = json::parse(body, nullptr, false);
  if (!doc.is_object()) bad_answer(what, "not a JSON object");
  return doc;
}

net::HttpRequest post_request(const std::string& url, const json& proposed) {
  net::HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = {"Content-Type: application/json", "Accept: application/json"};
  request.body = proposed.dump();
  return request;
}

json post_entry(const net::HttpClient& rekor, const std::string& url, const json& proposed,
                std::string& what) {
  net::HttpRequest request = post_request(url, proposed);
  what = rekor.service() + " at " + request.url;
  return parse_answer(rekor.send_expecting_success(request).body, what);
}

// "scheme://host[:port]" of an http(s) URL.
std::string origin_of(const std::string& url) {
  std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return url;
  return url.substr(0, url.find('/', scheme_end + 3));
}

// Rekor v1 answers 409 Conflict, with the existing entry's Location, when
// an equivalent entry is already logged: typically our own, from a POST
// that was retried after its answer was lost. That entry is fetched and
// used like a fresh one (the verifier checks it records what we signed).
json post_v1_entry(const net::HttpClient& rekor, const std::string& base_url, const json& proposed,
                   std::string& what) {
  net::HttpRequest request = post_request(entries_url(base_url, "/api/v1/log/entries"), proposed);
  what = rekor.service() + " at " + request.url;
  net::HttpResponse response = rekor.send(request);
  if (response.status != 409) {
    rekor.check_success(request, response);
    return parse_answer(response.body, what);
  }
  auto location = response.headers.find("location");
  const std::string prefix = "/api/v1/log/entries/";
  std::string path = location == response.headers.end() ? "" : location->second;
  std::string origin = origin_of(request.url);
  if (path.compare(0, origin.size(), origin) == 0) path = path.substr(origin.size());
  if (path.compare(0, prefix.size(), prefix) != 0 || path.size() == prefix.size() ||
      path.find_first_of("?#/", prefix.size()) != std::string::npos) {
    throw Error(ErrorKind::kNetwork,
                what + " answered 409 (an equivalent entry exists) without a usable Location" +
                    (path.empty() ? "" : " ('" + path + "')"));
  }
  net::HttpRequest fetch;
  fetch.url = origin + path;
  fetch.headers = {"Accept: application/json"};
  what = rekor.service() + " at " + fetch.url;
  return parse_answer(rekor.send_expecting_success(fetch).body, what);
}

json proposed_v1_entry(const SignedArtifact& signed_artifact, X509* leaf) {
  std::string pem_b64 = util::base64_encode(certificate_pem(leaf));
  if (signed_artifact.envelope) {
    return {{"apiVersion", "0.0.1"},
            {"kind", "dsse"},
            {"spec",
             {{"proposedContent",
               {{"envelope", envelope_json(*signed_artifact.envelope)},
                {"verifiers", json::array({pem_b64})}}}}}};
  }
  return {{"apiVersion", "0.0.1"},
          {"kind", "hashedrekord"},
          {"spec",
           {{"data", {{"hash", {{"algorithm", "sha256"}, {"value", util::to_hex(signed_artifact.digest)}}}}},
            {"signature",
             {{"content", util::base64_encode(signed_artifact.signature)},
              {"publicKey", {{"content", pem_b64}}}}}}}};
}

}  // namespace

TransparencyLogEntry create_rekor_v1_entry(const net::HttpClient& rekor, const std::string& base_url,
                                           const SignedArtifact& signed_artifact, X509* leaf) {
  std::string what;
  json doc = post_v1_entry(rekor, base_url, proposed_v1_entry(signed_artifact, leaf), what);
  if (doc.size() != 1) bad_answer(what, "expected one entry keyed by its UUID");
  const json& e = doc.begin().value();

  TransparencyLogEntry entry;
  entry.canonicalized_body = decode_base64(string_member(e, "body", what), what, "body");
  auto body = json::parse(entry.canonicalized_body.begin(), entry.canonicalized_body.end(), nullptr, false);
  entry.kind = body.is_object() ? body.value("kind", "") : "";
  entry.version = body.is_object() ? body.value("apiVersion", "") : "";
  entry.integrated_time = int_member(e, "integratedTime", what);
  entry.log_id = decode_hex(string_member(e, "logID", what), what, "logID");
  entry.log_index = int_member(e, "logIndex", what);
  const json& verification = member(e, "verification", what);
  entry.signed_entry_timestamp = decode_base64(
      string_member(verification, "signedEntryTimestamp", what), what, "signedEntryTimestamp");
  if (verification.contains("inclusionProof")) {
    const json& p = member(verification, "inclusionProof", what);
    InclusionProof proof;
    proof.log_index = int_member(p, "logIndex", what);
    proof.tree_size = int_member(p, "treeSize", what);
    proof.root_hash = decode_hex(string_member(p, "rootHash", what), what, "rootHash");
    proof.checkpoint = string_member(p, "checkpoint", what);
    const json& hashes = member(p, "hashes", what);
    if (!hashes.is_array()) bad_answer(what, "'hashes' is not a list");
    for (const auto& h : hashes) {
      if (!h.is_string()) bad_answer(what, "'hashes' holds a non-string");
      proof.hashes.push_back(decode_hex(h.get<std::string>(), what, "hashes"));
    }
    entry.inclusion_proof = std::move(proof);
  }
  return entry;
}

TransparencyLogEntry create_rekor_v2_entry(const net::HttpClient& rekor, const std::string& base_url,
                                           const SignedArtifact& signed_artifact, X509* leaf,
                                           const std::string& key_details) {
  const DsseEnvelope* envelope = signed_artifact.envelope;
  Bytes digest = envelope ? crypto::sha256(dsse::pae(envelope->payload_type, envelope->payload))
                          : signed_artifact.digest;
  json proposed = {
      {"hashedRekordRequestV002",
       {{"digest", util::base64_encode(digest)},
        {"signature",
         {{"content", util::base64_encode(signed_artifact.signature)},
          {"verifier",
           {{"x509Certificate", {{"rawBytes", util::base64_encode(crypto::certificate_der(leaf))}}},
            {"keyDetails", key_details}}}}}}}};
  std::string what;
  json doc = post_entry(rekor, entries_url(base_url, "/api/v2/log/entries"), proposed, what);
  try {
    return parse_transparency_log_entry(doc, "TransparencyLogEntry");
  } catch (const Error& e) {
    bad_answer(what, e.what());
  }
}

}  // namespace model_signing::sigstore
