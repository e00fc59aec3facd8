#include "support/sigstore/sigstore_test_support.h"

#include <openssl/ts.h>
#include <openssl/x509.h>

#include <stdexcept>

#include "crypto/digest.h"
#include "crypto/x509.h"
#include "model_signing/error.h"
#include "support/expect_error.h"
#include "support/test_support.h"
#include "util/encoding.h"

namespace model_signing::sigstore::testing {

namespace fs = std::filesystem;

fs::path conformance_dir() {
  return model_signing::testing::shared_dir() / "sigstore" / "conformance-sample";
}

fs::path conformance_case(const std::string& name) { return conformance_dir() / name; }

json read_json(const fs::path& path) {
  return json::parse(model_signing::testing::read_file(path));
}

json production_root_json() {
  return read_json(model_signing::testing::shared_dir() / "sigstore" / "trust" / "production" /
                   "trusted_root.json");
}

Bundle to_bundle(const json& bundle) { return parse_bundle(bundle.dump()); }
TrustedRoot to_root(const json& root) { return parse_trusted_root(root.dump()); }

VerificationPolicy conformance_identity() {
  VerificationPolicy policy;
  policy.identity = CertificateIdentity{
      "https://github.com/sigstore-conformance/extremely-dangerous-public-oidc-beacon/.github/"
      "workflows/extremely-dangerous-oidc-beacon.yml@refs/heads/main",
      "https://token.actions.githubusercontent.com"};
  return policy;
}

Artifact conformance_artifact() { return Artifact::from_file(conformance_dir() / "a.txt"); }

std::string verify_error(const json& bundle, const json& root, const Artifact& artifact,
                         const VerificationPolicy& policy) {
  return model_signing::testing::error_message(
      [&] { BundleVerifier(to_root(root)).verify(to_bundle(bundle), artifact, policy); });
}

void flip_base64_byte(json& field, std::size_t index) {
  auto bytes = util::base64_decode(field.get<std::string>());
  if (!bytes || bytes->size() <= index) throw std::runtime_error("flip_base64_byte: bad field");
  (*bytes)[index] ^= 0x01;
  field = util::base64_encode(*bytes);
}

std::time_t unix_seconds(const std::string& rfc3339) {
  return static_cast<std::time_t>(std::chrono::duration_cast<std::chrono::seconds>(
                                      parse_rfc3339(rfc3339, "test time").time_since_epoch())
                                      .count());
}

namespace {

model_signing::testing::TestIdentity make_tsa_leaf(const model_signing::testing::TestIdentity& root) {
  model_signing::testing::CertSpec spec;
  spec.common_name = "Test TSA";
  spec.time_stamping = true;
  spec.not_before = unix_seconds("2020-01-01T00:00:00Z");
  spec.not_after = unix_seconds("2040-01-01T00:00:00Z");
  return root.issue(spec);
}

int fixed_time(TS_RESP_CTX*, void* data, long* sec, long* usec) {
  *sec = static_cast<long>(*static_cast<const std::time_t*>(data));
  *usec = 0;
  return 1;
}

std::string der_base64(X509* cert) { return util::base64_encode(crypto::certificate_der(cert)); }

}  // namespace

TestTimestampAuthority::TestTimestampAuthority()
    : root_(model_signing::testing::TestIdentity::make_root("P-256", "Test TSA Root",
                                                            unix_seconds("2020-01-01T00:00:00Z"))),
      leaf_(make_tsa_leaf(root_)) {}

Bytes TestTimestampAuthority::timestamp(const Bytes& data, std::time_t when) const {
  Bytes digest = crypto::sha256(data);
  TS_REQ* req = TS_REQ_new();
  TS_REQ_set_version(req, 1);
  TS_MSG_IMPRINT* imprint = TS_MSG_IMPRINT_new();
  X509_ALGOR* alg = X509_ALGOR_new();
  X509_ALGOR_set0(alg, OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr);
  TS_MSG_IMPRINT_set_algo(imprint, alg);
  X509_ALGOR_free(alg);
  TS_MSG_IMPRINT_set_msg(imprint, digest.data(), static_cast<int>(digest.size()));
  TS_REQ_set_msg_imprint(req, imprint);
  TS_REQ_set_cert_req(req, 1);
  BIO* request = BIO_new(BIO_s_mem());
  i2d_TS_REQ_bio(request, req);

  TS_RESP_CTX* ctx = TS_RESP_CTX_new();
  TS_RESP_CTX_set_signer_cert(ctx, leaf_.cert());
  TS_RESP_CTX_set_signer_key(ctx, leaf_.key());
  ASN1_OBJECT* policy = OBJ_txt2obj("1.3.6.1.4.1.57264.2", 1);
  TS_RESP_CTX_set_def_policy(ctx, policy);
  TS_RESP_CTX_add_md(ctx, EVP_sha256());
  TS_RESP_CTX_set_signer_digest(ctx, EVP_sha256());
  TS_RESP_CTX_set_ess_cert_id_digest(ctx, EVP_sha256());
  TS_RESP_CTX_set_time_cb(ctx, fixed_time, const_cast<std::time_t*>(&when));
  TS_RESP* resp = TS_RESP_create_response(ctx, request);
  if (!resp) throw std::runtime_error("test TSA: cannot create a response");
  unsigned char* der = nullptr;
  int len = i2d_TS_RESP(resp, &der);
  Bytes out(der, der + len);
  OPENSSL_free(der);
  TS_RESP_free(resp);
  TS_RESP_CTX_free(ctx);
  ASN1_OBJECT_free(policy);
  BIO_free(request);
  TS_MSG_IMPRINT_free(imprint);
  TS_REQ_free(req);
  return out;
}

json TestTimestampAuthority::trusted_root_entry(const std::string& valid_from) const {
  return {{"subject", {{"organization", "test"}, {"commonName", "Test TSA"}}},
          {"uri", "https://tsa.test"},
          {"certChain",
           {{"certificates",
             json::array({{{"rawBytes", der_base64(leaf_.cert())}},
                          {{"rawBytes", der_base64(root_.cert())}}})}}},
          {"validFor", {{"start", valid_from}}}};
}

}  // namespace model_signing::sigstore::testing
