#include "sigstore/fulcio_certificate.h"

#include <openssl/x509v3.h>

#include "model_signing/error.h"
#include "sigstore/certificate_path.h"

namespace model_signing::sigstore {

FulcioChain verify_fulcio_chain(X509* leaf, const TrustMaterial& trust, Time t,
                                const std::string& when) {
  std::string reasons;
  for (const TrustedAuthority& ca : trust.fulcio_cas()) {
    std::string why;
    if (!ca.info.valid_for.contains(t)) {
      why = "outside its validity " + ca.info.valid_for.describe();
    } else {
      std::vector<X509*> intermediates;
      for (std::size_t i = 0; i + 1 < ca.chain.size(); ++i) intermediates.push_back(ca.chain[i].get());
      PathValidation path = validate_path_at(leaf, intermediates, ca.chain.back().get(), t);
      if (path.ok && path.chain.size() >= 2) {
        return FulcioChain{&ca, std::move(path.chain[1])};
      }
      why = path.ok ? "the leaf is itself the trust anchor" : path.error;
    }
    reasons += (reasons.empty() ? "" : "; ") + ca.label + ": " + why;
  }
  if (trust.fulcio_cas().empty()) reasons = "the trusted root has no certificate authorities";
  throw Error(ErrorKind::kUntrustedSigner,
              "signing certificate does not chain to a trusted Fulcio CA at " + when + " " +
                  format_time(t) + " (" + reasons + ")");
}

void check_fulcio_profile(X509* leaf) {
  if (X509_check_ca(leaf) != 0) {
    throw Error(ErrorKind::kUntrustedSigner, "signing certificate is a CA certificate");
  }
  bool has_ku = X509_get_ext_by_NID(leaf, NID_key_usage, -1) >= 0;
  if (!has_ku || !(X509_get_key_usage(leaf) & KU_DIGITAL_SIGNATURE)) {
    throw Error(ErrorKind::kUntrustedSigner,
                "signing certificate does not have the digitalSignature key usage");
  }
  bool has_eku = X509_get_ext_by_NID(leaf, NID_ext_key_usage, -1) >= 0;
  if (!has_eku || !(X509_get_extended_key_usage(leaf) & XKU_CODE_SIGN)) {
    throw Error(ErrorKind::kUntrustedSigner,
                "signing certificate does not have the codeSigning extended key usage");
  }
}

}  // namespace model_signing::sigstore
