// RAII handles for OpenSSL objects and error-queue helpers.
#pragma once

#include <openssl/bio.h>
#include <openssl/evp.h>
#include <openssl/x509.h>
#include <openssl/x509_vfy.h>

#include <memory>
#include <string>

namespace model_signing::crypto {

template <auto Fn>
struct Deleter {
  template <typename T>
  void operator()(T* p) const {
    Fn(p);
  }
};

using PkeyPtr = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY_free>>;
using PkeyCtxPtr = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX_free>>;
using MdCtxPtr = std::unique_ptr<EVP_MD_CTX, Deleter<EVP_MD_CTX_free>>;
using BioPtr = std::unique_ptr<BIO, Deleter<BIO_free_all>>;
using X509Ptr = std::unique_ptr<X509, Deleter<X509_free>>;
using X509StorePtr = std::unique_ptr<X509_STORE, Deleter<X509_STORE_free>>;
using X509StoreCtxPtr = std::unique_ptr<X509_STORE_CTX, Deleter<X509_STORE_CTX_free>>;

struct X509StackDeleter {
  void operator()(STACK_OF(X509) * s) const { sk_X509_pop_free(s, X509_free); }
};
using X509StackPtr = std::unique_ptr<STACK_OF(X509), X509StackDeleter>;

// Takes and clears OpenSSL's error queue; returns the last reason string or
// `fallback` if the queue was empty.
std::string take_openssl_error(const std::string& fallback = "unknown OpenSSL error");

// Clears OpenSSL's error queue (call before an operation whose error you want).
void clear_openssl_errors();

inline PkeyPtr up_ref(EVP_PKEY* key) {
  EVP_PKEY_up_ref(key);
  return PkeyPtr(key);
}
inline X509Ptr up_ref(X509* cert) {
  X509_up_ref(cert);
  return X509Ptr(cert);
}

}  // namespace model_signing::crypto
