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

// The CMS signature and imprint with OpenSSL's TS API; then the signer's
// chain at genTime with our closed validity windows (OpenSSL's notAfter is
// exclusive, so its own time check is off).
bool verify_with_authority(TS_RESP* response, const Bytes& timestamped,
                           const TrustedAuthority& tsa, Time gen_time, std::string& why) {
  TsVerifyCtxPtr ctx(TS_VERIFY_CTX_new());
  X509_STORE* store = X509_STORE_new();
  if (!ctx || !store) {
    X509_STORE_free(store);
    why = "out of memory";
    return false;
  }
  TS_VERIFY_CTX_set_store(ctx.get(), store);  // the context owns it from here
  X509_STORE_add_cert(store, tsa.chain().back().get());
  X509_VERIFY_PARAM_set_flags(X509_STORE_get0_param(store),
                              X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_NO_CHECK_TIME);
  STACK_OF(X509)* certs = sk_X509_new_null();
  std::vector<X509*> intermediates;
  for (std::size_t i = 0; i + 1 < tsa.chain().size(); ++i) {
    X509_up_ref(tsa.chain()[i].get());
    sk_X509_push(certs, tsa.chain()[i].get());
    intermediates.push_back(tsa.chain()[i].get());
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
  PathValidation path = validate_path_at(signer, intermediates, tsa.chain().back().get(), gen_time);
  sk_X509_free(signers);
  if (!path.ok) {
    why = "its certificate chain is not valid at genTime: " + path.error;
    return false;
  }
  return true;
}

}  // namespace

Time verify_rfc3161_timestamp(const Bytes& der, const Bytes& timestamped, const TrustMaterial& trust) {
  const unsigned char* p = der.data();
  TsRespPtr response(d2i_TS_RESP(nullptr, &p, static_cast<long>(der.size())));
  crypto::clear_openssl_errors();
  if (!response || p != der.data() + der.size()) fail("is not a DER TimeStampResp");
  long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(response.get())));
  if (status != 0 && status != 1) fail("was not granted (status " + std::to_string(status) + ")");
  TS_TST_INFO* info = TS_RESP_get_tst_info(response.get());
  if (!info) fail("has no timestamp token");
  Time gen_time = generalized_time(TS_TST_INFO_get_time(info));

  std::string reasons;
  for (const TrustedAuthority& tsa : trust.timestamp_authorities()) {
    std::string why;
    if (!tsa.info.valid_for.contains(gen_time)) {
      why = "genTime is outside its validity " + tsa.info.valid_for.describe();
    } else if (verify_with_authority(response.get(), timestamped, tsa, gen_time, why)) {
      return gen_time;
    }
    reasons += (reasons.empty() ? "" : "; ") + tsa.label + ": " + why;
  }
  if (trust.timestamp_authorities().empty()) reasons = "the trusted root has no timestamp authorities";
  fail("of " + format_time(gen_time) + " does not verify against a trusted timestamp authority (" +
       reasons + ")");
}

}  // namespace model_signing::sigstore
