#include "sigstore/certificate_path.h"

#include "crypto/x509.h"

namespace model_signing::sigstore {

namespace {

PathValidation validate_at_second(X509* leaf, const std::vector<X509*>& intermediates, X509* anchor,
                                  std::time_t when) {
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
  X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
  X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
  X509_VERIFY_PARAM_set_time(param, when);
  if (X509_verify_cert(ctx.get()) != 1) {
    int err = X509_STORE_CTX_get_error(ctx.get());
    X509* bad = X509_STORE_CTX_get_current_cert(ctx.get());
    std::string who = crypto::subject_name(bad ? bad : leaf);
    result.error = std::string(X509_verify_cert_error_string(err)) + " (certificate '" +
                   (who.empty() ? std::string("leaf with empty subject") : who) + "')";
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

}  // namespace

PathValidation validate_path_at(X509* leaf, const std::vector<X509*>& intermediates, X509* anchor,
                                Time t) {
  auto seconds = std::chrono::floor<std::chrono::seconds>(t);
  std::time_t floor_time = static_cast<std::time_t>(seconds.time_since_epoch().count());
  PathValidation result = validate_at_second(leaf, intermediates, anchor, floor_time);
  if (result.ok && t != seconds) {
    PathValidation later = validate_at_second(leaf, intermediates, anchor, floor_time + 1);
    if (!later.ok) return later;
  }
  return result;
}

}  // namespace model_signing::sigstore
