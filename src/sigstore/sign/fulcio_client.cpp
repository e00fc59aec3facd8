#include "sigstore/sign/fulcio_client.h"

#include <openssl/pem.h>
#include <openssl/x509v3.h>

#include <nlohmann/json.hpp>

#include "crypto/ec_key.h"
#include "crypto/x509.h"
#include "model_signing/error.h"
#include "util/encoding.h"

namespace model_signing::sigstore {

namespace {

using X509ReqPtr = std::unique_ptr<X509_REQ, crypto::Deleter<X509_REQ_free>>;
using X509NamePtr = std::unique_ptr<X509_NAME, crypto::Deleter<X509_NAME_free>>;
void free_extensions(STACK_OF(X509_EXTENSION) * s) { sk_X509_EXTENSION_pop_free(s, X509_EXTENSION_free); }
using ExtStackPtr = std::unique_ptr<STACK_OF(X509_EXTENSION), crypto::Deleter<free_extensions>>;

[[noreturn]] void csr_failure(const char* step) {
  throw Error(ErrorKind::kKey,
              std::string("cannot build the certificate request (") + step + "): " +
                  crypto::take_openssl_error());
}

bool is_ascii(const std::string& text) {
  for (unsigned char c : text) {
    if (c < 0x20 || c > 0x7e) return false;
  }
  return true;
}

std::string url_of(const std::string& base) {
  std::string url = base;
  while (!url.empty() && url.back() == '/') url.pop_back();
  return url + "/api/v2/signingCert";
}

}  // namespace

std::string make_certificate_request(EVP_PKEY* key, const std::string& identity) {
  crypto::clear_openssl_errors();
  X509ReqPtr req(X509_REQ_new());
  if (!req || X509_REQ_set_version(req.get(), 0) != 1) csr_failure("version");
  X509NamePtr name(X509_NAME_new());
  if (!identity.empty() && is_ascii(identity) &&
      X509_NAME_add_entry_by_NID(name.get(), NID_pkcs9_emailAddress, MBSTRING_ASC,
                                 reinterpret_cast<const unsigned char*>(identity.c_str()), -1, -1,
                                 0) != 1) {
    csr_failure("subject");
  }
  if (X509_REQ_set_subject_name(req.get(), name.get()) != 1) csr_failure("subject");
  if (X509_REQ_set_pubkey(req.get(), key) != 1) csr_failure("public key");
  ExtStackPtr exts(sk_X509_EXTENSION_new_null());
  X509_EXTENSION* bc = X509V3_EXT_conf_nid(nullptr, nullptr, NID_basic_constraints, "critical,CA:FALSE");
  if (!bc || !exts || sk_X509_EXTENSION_push(exts.get(), bc) == 0) csr_failure("basic constraints");
  if (X509_REQ_add_extensions(req.get(), exts.get()) != 1) csr_failure("extensions");
  if (X509_REQ_sign(req.get(), key, EVP_sha256()) <= 0) csr_failure("signature");
  crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  if (PEM_write_bio_X509_REQ(bio.get(), req.get()) != 1) csr_failure("PEM");
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

std::vector<crypto::X509Ptr> request_signing_certificate(const net::HttpClient& fulcio,
                                                         const std::string& base_url,
                                                         const IdentityToken& token,
                                                         EVP_PKEY* key) {
  nlohmann::json body = {
      {"credentials", {{"oidcIdentityToken", token.raw}}},
      {"certificateSigningRequest", util::base64_encode(make_certificate_request(key, token.identity()))},
  };
  net::HttpRequest request;
  request.method = "POST";
  request.url = url_of(base_url);
  request.headers = {"Content-Type: application/json", "Accept: application/pem-certificate-chain",
                     "Authorization: Bearer " + token.raw};
  request.body = body.dump();
  net::HttpResponse response = fulcio.send_expecting_success(request);

  auto doc = nlohmann::json::parse(response.body, nullptr, false);
  const std::string where = "Fulcio at " + request.url;
  if (!doc.is_object()) throw Error(ErrorKind::kNetwork, where + " answered something other than JSON");
  if (doc.contains("signedCertificateDetachedSct")) {
    throw Error(ErrorKind::kNetwork, where + " answered with a detached SCT; only certificates "
                                             "with an embedded SCT are supported");
  }
  const auto* certs = doc.contains("signedCertificateEmbeddedSct")
                          ? &doc["signedCertificateEmbeddedSct"]["chain"]["certificates"]
                          : nullptr;
  if (!certs || !certs->is_array() || certs->empty()) {
    throw Error(ErrorKind::kNetwork, where + " answered without a certificate chain");
  }
  std::vector<crypto::X509Ptr> chain;
  for (const auto& pem : *certs) {
    if (!pem.is_string()) throw Error(ErrorKind::kNetwork, where + " answered a non-string certificate");
    try {
      for (auto& cert : crypto::parse_certificates_pem(pem.get<std::string>(), "Fulcio's answer")) {
        chain.push_back(std::move(cert));
      }
    } catch (const Error&) {
      throw Error(ErrorKind::kNetwork, where + " answered a certificate that does not parse");
    }
  }
  EVP_PKEY* leaf_key = X509_get0_pubkey(chain.front().get());
  if (!leaf_key || !crypto::same_public_key(leaf_key, key)) {
    throw Error(ErrorKind::kUntrustedSigner,
                where + " issued a certificate for a different key than the one it was asked to certify");
  }
  return chain;
}

}  // namespace model_signing::sigstore
