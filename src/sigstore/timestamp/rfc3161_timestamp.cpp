#include "sigstore/timestamp/rfc3161_timestamp.h"

#include <openssl/ts.h>

#include "model_signing/error.h"
#include "sigstore/certificate/certificate_path.h"
#include "util/encoding.h"

namespace model_signing::sigstore {

namespace {

using TsRespPtr = std::unique_ptr<TS_RESP, crypto::Deleter<TS_RESP_free>>;
using TsVerifyCtxPtr = std::unique_ptr<TS_VERIFY_CTX, crypto::Deleter<TS_VERIFY_CTX_free>>;

[[noreturn]] void fail(const std::string& why) {
  throw Error(ErrorKind::kUntrustedSigner, "RFC 3161 timestamp " + why);
}

// GeneralizedTime "YYYYMMDDHHMMSS[.fff]Z" as a Time.
Time generalized_time(const ASN1_GENERALIZEDTIME* gt) {
  std::string s(reinterpret_cast<const char*>(ASN1_STRING_get0_data(gt)),
                static_cast<std::size_t>(ASN1_STRING_length(gt)));
  if (s.size() < 15 || s.back() != 'Z') fail("has a malformed genTime '" + util::excerpt(s, 64) + "'");
  std::string rfc3339 = s.substr(0, 4) + "-" + s.substr(4, 2) + "-" + s.substr(6, 2) + "T" +
                        s.substr(8, 2) + ":" + s.substr(10, 2) + ":" + s.substr(12);
  try {
    return parse_rfc3339(rfc3339, "genTime");
  } catch (const Error&) {
    fail("has a malformed genTime '" + util::excerpt(s, 64) + "'");
  }
}

// The CMS signature and imprint with OpenSSL's TS API (which also requires
// the signer's critical timeStamping extended key usage); then the
// signer's chain to one of `anchors` at genTime with our closed validity
// windows (OpenSSL's notAfter is exclusive, so its own time check is off).
// `intermediates` (untrusted) help build the path, with the token's own
// certificates. On success returns true and sets `signer_name`.
bool verify_token(TS_RESP* response, const Bytes& timestamped, const std::vector<X509*>& anchors,
                  std::vector<X509*> intermediates, Time gen_time, std::string& why,
                  std::string* signer_name = nullptr) {
  TsVerifyCtxPtr ctx(TS_VERIFY_CTX_new());
  X509_STORE* store = X509_STORE_new();
  if (!ctx || !store) {
    X509_STORE_free(store);
    why = "out of memory";
    return false;
  }
  TS_VERIFY_CTX_set_store(ctx.get(), store);  // the context owns it from here
  for (X509* anchor : anchors) X509_STORE_add_cert(store, anchor);
  X509_VERIFY_PARAM_set_flags(X509_STORE_get0_param(store),
                              X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_NO_CHECK_TIME);
  STACK_OF(X509)* certs = sk_X509_new_null();
  for (X509* cert : intermediates) {
    X509_up_ref(cert);
    sk_X509_push(certs, cert);
  }
  TS_VERIFY_CTX_set_certs(ctx.get(), certs);  // owned by the context too
  BIO* data = BIO_new_mem_buf(timestamped.data(), static_cast<int>(timestamped.size()));
  TS_VERIFY_CTX_set_data(ctx.get(), data);
  TS_VERIFY_CTX_set_flags(ctx.get(), TS_VFY_VERSION | TS_VFY_SIGNATURE | TS_VFY_DATA);
  crypto::clear_openssl_errors();
  if (TS_RESP_verify_response(ctx.get(), response) != 1) {
    why = crypto::take_openssl_error("verification failed");
    return false;
  }
  PKCS7* token = TS_RESP_get_token(response);
  STACK_OF(X509)* signers = PKCS7_get0_signers(token, certs, 0);
  crypto::clear_openssl_errors();
  if (!signers || sk_X509_num(signers) != 1) {
    sk_X509_free(signers);
    why = "cannot identify the signing certificate";
    return false;
  }
  X509* signer = sk_X509_value(signers, 0);
  STACK_OF(X509)* embedded = PKCS7_type_is_signed(token) ? token->d.sign->cert : nullptr;
  for (int i = 0; embedded && i < sk_X509_num(embedded); ++i) {
    intermediates.push_back(sk_X509_value(embedded, i));
  }
  std::string errors;
  bool ok = false;
  for (X509* anchor : anchors) {
    PathValidation path = validate_path_at(signer, intermediates, anchor, gen_time);
    if (path.ok) {
      ok = true;
      break;
    }
    if (errors.find(path.error) == std::string::npos) errors += (errors.empty() ? "" : "; ") + path.error;
  }
  if (ok && signer_name) *signer_name = describe_certificate(signer);
  sk_X509_free(signers);
  if (!ok) why = "its certificate chain is not valid at genTime: " + errors;
  return ok;
}

struct ParsedResponse {
  TsRespPtr response;
  Time gen_time;
};

// A granted TimeStampResp with a token, and its genTime.
ParsedResponse parse_response(const Bytes& der) {
  const unsigned char* p = der.data();
  TsRespPtr response(d2i_TS_RESP(nullptr, &p, static_cast<long>(der.size())));
  crypto::clear_openssl_errors();
  if (!response || p != der.data() + der.size()) fail("is not a DER TimeStampResp");
  long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(response.get())));
  if (status != 0 && status != 1) fail("was not granted (status " + std::to_string(status) + ")");
  TS_TST_INFO* info = TS_RESP_get_tst_info(response.get());
  if (!info || !TS_RESP_get_token(response.get())) fail("has no timestamp token");
  Time gen_time = generalized_time(TS_TST_INFO_get_time(info));
  return {std::move(response), gen_time};
}

}  // namespace

Time rfc3161_gen_time(const Bytes& der) { return parse_response(der).gen_time; }

Time verify_rfc3161_timestamp(const Bytes& der, const Bytes& timestamped, const TrustMaterial& trust) {
  ParsedResponse parsed = parse_response(der);
  const Time gen_time = parsed.gen_time;
  std::string reasons;
  for (const TrustedAuthority& tsa : trust.timestamp_authorities()) {
    std::string why;
    if (!tsa.info.valid_for.contains(gen_time)) {
      why = "genTime is outside its validity " + tsa.info.valid_for.describe();
    } else {
      std::vector<X509*> intermediates;
      for (std::size_t i = 0; i + 1 < tsa.chain().size(); ++i) intermediates.push_back(tsa.chain()[i].get());
      if (verify_token(parsed.response.get(), timestamped, {tsa.chain().back().get()}, intermediates, gen_time,
                       why)) {
        return gen_time;
      }
    }
    reasons += (reasons.empty() ? "" : "; ") + tsa.label + ": " + why;
  }
  if (trust.timestamp_authorities().empty()) reasons = "the trusted root has no timestamp authorities";
  fail("of " + format_time(gen_time) + " does not verify against a trusted timestamp authority (" +
       reasons + ")");
}

VerifiedRfc3161Timestamp verify_rfc3161_timestamp(const Bytes& der, const Bytes& timestamped,
                                                  const std::vector<X509*>& anchors) {
  ParsedResponse parsed = parse_response(der);
  std::vector<X509*> trusted = anchors;
  PKCS7* token = TS_RESP_get_token(parsed.response.get());
  STACK_OF(X509)* embedded = PKCS7_type_is_signed(token) ? token->d.sign->cert : nullptr;
  if (anchors.empty()) {
    for (int i = 0; embedded && i < sk_X509_num(embedded); ++i) trusted.push_back(sk_X509_value(embedded, i));
    if (trusted.empty()) fail("carries no certificates to check it against, and no TSA trust anchors were given");
  }
  VerifiedRfc3161Timestamp result;
  result.time = parsed.gen_time;
  std::string why;
  if (!verify_token(parsed.response.get(), timestamped, trusted, {}, parsed.gen_time, why, &result.signer)) {
    fail("of " + format_time(parsed.gen_time) + " does not verify against the " +
         (anchors.empty() ? std::string("certificates it carries") : "TSA trust anchors") + ": " + why);
  }
  return result;
}

}  // namespace model_signing::sigstore
