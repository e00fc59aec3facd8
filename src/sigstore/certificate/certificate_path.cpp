#include "sigstore/certificate/certificate_path.h"

#include <optional>

#include "crypto/x509.h"
#include "util/encoding.h"

namespace model_signing::sigstore {

namespace {

// Certificate times in whole seconds (they may lie past 2262, beyond Time).
std::optional<std::int64_t> asn1_seconds(const ASN1_TIME* t) { return crypto::asn1_time_seconds(t); }

std::string asn1_text(const ASN1_TIME* t) {
  crypto::BioPtr bio(BIO_new(BIO_s_mem()));
  ASN1_TIME_print_ex(bio.get(), t, ASN1_DTFLGS_ISO8601);
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  return std::string(data, static_cast<std::size_t>(len));
}

// notBefore <= t <= notAfter.
bool within(Time t, X509* cert) {
  auto not_before = asn1_seconds(X509_get0_notBefore(cert));
  auto not_after = asn1_seconds(X509_get0_notAfter(cert));
  if (!not_before || !not_after) return false;
  auto floor = std::chrono::floor<std::chrono::seconds>(t);
  std::int64_t s = floor.time_since_epoch().count();
  bool fractional = t != floor;
  return s >= *not_before && (s < *not_after || (s == *not_after && !fractional));
}

}  // namespace

PathValidation validate_path(X509* leaf, const std::vector<X509*>& intermediates, X509* anchor) {
  PathValidation result;
  crypto::X509StorePtr store(X509_STORE_new());
  crypto::X509StackPtr untrusted(sk_X509_new_null());
  crypto::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
  if (!store || !untrusted || !ctx || X509_STORE_add_cert(store.get(), anchor) != 1) {
    result.error = "cannot set up path validation: " + crypto::take_openssl_error();
    return result;
  }
  for (X509* cert : intermediates) {
    X509_up_ref(cert);
    sk_X509_push(untrusted.get(), cert);
  }
  if (X509_STORE_CTX_init(ctx.get(), store.get(), leaf, untrusted.get()) != 1) {
    result.error = "cannot set up path validation: " + crypto::take_openssl_error();
    return result;
  }
  // OpenSSL treats notAfter as exclusive; validity windows are closed
  // intervals, so chain_invalid_at() checks the times instead.
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN | X509_V_FLAG_NO_CHECK_TIME);
  if (X509_verify_cert(ctx.get()) != 1) {
    int err = X509_STORE_CTX_get_error(ctx.get());
    X509* bad = X509_STORE_CTX_get_current_cert(ctx.get());
    result.error = std::string(X509_verify_cert_error_string(err)) + " (" +
                   describe_certificate(bad ? bad : leaf) + ")";
    crypto::clear_openssl_errors();
    return result;
  }
  STACK_OF(X509)* chain = X509_STORE_CTX_get0_chain(ctx.get());
  for (int i = 0; i < sk_X509_num(chain); ++i) {
    result.chain.push_back(crypto::up_ref(sk_X509_value(chain, i)));
  }
  result.ok = true;
  return result;
}

std::string chain_invalid_at(const std::vector<crypto::X509Ptr>& chain, Time t) {
  for (const auto& cert : chain) {
    if (!within(t, cert.get())) {
      return describe_certificate(cert.get()) + " is not valid at " + format_time(t) + " (valid [" +
             asn1_text(X509_get0_notBefore(cert.get())) + ", " +
             asn1_text(X509_get0_notAfter(cert.get())) + "])";
    }
  }
  return "";
}

PathValidation validate_path_at(X509* leaf, const std::vector<X509*>& intermediates, X509* anchor,
                                Time t) {
  PathValidation result = validate_path(leaf, intermediates, anchor);
  if (result.ok) {
    std::string error = chain_invalid_at(result.chain, t);
    if (!error.empty()) {
      result = PathValidation{};
      result.error = error;
    }
  }
  return result;
}

std::string describe_certificate(X509* cert) {
  std::string subject = crypto::subject_name(cert);
  return subject.empty() ? "certificate with an empty subject" : "certificate '" + util::excerpt(subject) + "'";
}

}  // namespace model_signing::sigstore
