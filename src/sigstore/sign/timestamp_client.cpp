#include "sigstore/sign/timestamp_client.h"

#include <openssl/rand.h>
#include <openssl/ts.h>

#include <memory>

#include "crypto/digest.h"
#include "crypto/openssl.h"
#include "model_signing/error.h"

namespace model_signing::sigstore {

namespace {

using TsReqPtr = std::unique_ptr<TS_REQ, crypto::Deleter<TS_REQ_free>>;
using TsRespPtr = std::unique_ptr<TS_RESP, crypto::Deleter<TS_RESP_free>>;
using TsImprintPtr = std::unique_ptr<TS_MSG_IMPRINT, crypto::Deleter<TS_MSG_IMPRINT_free>>;
using AlgorPtr = std::unique_ptr<X509_ALGOR, crypto::Deleter<X509_ALGOR_free>>;
using IntegerPtr = std::unique_ptr<ASN1_INTEGER, crypto::Deleter<ASN1_INTEGER_free>>;
using BignumPtr = std::unique_ptr<BIGNUM, crypto::Deleter<BN_free>>;

[[noreturn]] void request_failure() {
  throw Error(ErrorKind::kKey,
              "cannot build the timestamp request: " + crypto::take_openssl_error());
}

IntegerPtr random_nonce() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) request_failure();
  bytes[0] &= 0x7f;  // positive
  BignumPtr bn(BN_bin2bn(bytes, sizeof bytes, nullptr));
  IntegerPtr nonce(bn ? BN_to_ASN1_INTEGER(bn.get(), nullptr) : nullptr);
  if (!nonce) request_failure();
  return nonce;
}

Bytes der_request(const Bytes& digest, const ASN1_INTEGER* nonce) {
  crypto::clear_openssl_errors();
  TsReqPtr req(TS_REQ_new());
  TsImprintPtr imprint(TS_MSG_IMPRINT_new());
  AlgorPtr algo(X509_ALGOR_new());
  if (!req || !imprint || !algo || TS_REQ_set_version(req.get(), 1) != 1 ||
      X509_ALGOR_set0(algo.get(), OBJ_nid2obj(NID_sha256), V_ASN1_NULL, nullptr) != 1 ||
      TS_MSG_IMPRINT_set_algo(imprint.get(), algo.get()) != 1 ||
      TS_MSG_IMPRINT_set_msg(imprint.get(), const_cast<unsigned char*>(digest.data()),
                             static_cast<int>(digest.size())) != 1 ||
      TS_REQ_set_msg_imprint(req.get(), imprint.get()) != 1 ||
      TS_REQ_set_nonce(req.get(), nonce) != 1 || TS_REQ_set_cert_req(req.get(), 1) != 1) {
    request_failure();
  }
  unsigned char* der = nullptr;
  int len = i2d_TS_REQ(req.get(), &der);
  if (len <= 0) request_failure();
  Bytes out(der, der + len);
  OPENSSL_free(der);
  return out;
}

}  // namespace

Bytes request_timestamp(const net::HttpClient& tsa, const std::string& url, const Bytes& signature) {
  Bytes digest = crypto::sha256(signature);
  IntegerPtr nonce = random_nonce();
  Bytes body = der_request(digest, nonce.get());

  net::HttpRequest request;
  request.method = "POST";
  request.url = url;
  request.headers = {"Content-Type: application/timestamp-query",
                     "Accept: application/timestamp-reply"};
  request.body.assign(body.begin(), body.end());
  net::HttpResponse response = tsa.send_expecting_success(request);

  const std::string what = tsa.service() + " at " + url;
  Bytes der(response.body.begin(), response.body.end());
  const unsigned char* p = der.data();
  TsRespPtr resp(d2i_TS_RESP(nullptr, &p, static_cast<long>(der.size())));
  crypto::clear_openssl_errors();
  if (!resp || p != der.data() + der.size()) {
    throw Error(ErrorKind::kNetwork, what + " answered something other than a TimeStampResp");
  }
  long status = ASN1_INTEGER_get(TS_STATUS_INFO_get0_status(TS_RESP_get_status_info(resp.get())));
  if (status != 0 && status != 1) {  // granted, grantedWithMods
    throw Error(ErrorKind::kNetwork, what + " refused the timestamp (PKIStatus " +
                                         std::to_string(status) + ")");
  }
  TS_TST_INFO* info = TS_RESP_get_tst_info(resp.get());
  if (!info || !TS_RESP_get_token(resp.get())) {
    throw Error(ErrorKind::kNetwork, what + " granted a timestamp without a token");
  }
  const ASN1_INTEGER* got_nonce = TS_TST_INFO_get_nonce(info);
  if (!got_nonce || ASN1_INTEGER_cmp(got_nonce, nonce.get()) != 0) {
    throw Error(ErrorKind::kNetwork, what + " answered a timestamp for another request (nonce differs)");
  }
  TS_MSG_IMPRINT* imprint = TS_TST_INFO_get_msg_imprint(info);
  ASN1_OCTET_STRING* hashed = imprint ? TS_MSG_IMPRINT_get_msg(imprint) : nullptr;
  const X509_ALGOR* algo = imprint ? TS_MSG_IMPRINT_get_algo(imprint) : nullptr;
  if (!hashed || !algo || OBJ_obj2nid(algo->algorithm) != NID_sha256 ||
      Bytes(ASN1_STRING_get0_data(hashed), ASN1_STRING_get0_data(hashed) + ASN1_STRING_length(hashed)) !=
          digest) {
    throw Error(ErrorKind::kNetwork,
                what + " timestamped something else (the message imprint is not the signature's)");
  }
  return der;
}

}  // namespace model_signing::sigstore
