#include "sigstore/certificate/fulcio_certificate.h"

#include <openssl/x509v3.h>

#include "model_signing/error.h"
#include "sigstore/certificate/certificate_path.h"

namespace model_signing::sigstore {

namespace {

// Why `ca` cannot vouch for the leaf at every time; empty if it can.
std::string ca_rejects(X509* leaf, const TrustedAuthority& ca, const std::vector<TimeToCheck>& times,
                       crypto::X509Ptr& issuer) {
  for (const TimeToCheck& t : times) {
    if (!ca.info.valid_for.contains(t.time)) {
      return "outside its validity " + ca.info.valid_for.describe() + " at " + t.description + " " +
             format_time(t.time);
    }
  }
  const auto& chain = ca.chain();
  std::vector<X509*> intermediates;
  for (std::size_t i = 0; i + 1 < chain.size(); ++i) intermediates.push_back(chain[i].get());
  PathValidation path = validate_path(leaf, intermediates, chain.back().get());
  if (!path.ok) return path.error;
  if (path.chain.size() < 2) return "the leaf is itself the trust anchor";
  for (const TimeToCheck& t : times) {
    std::string error = chain_invalid_at(path.chain, t.time);
    if (!error.empty()) return error + " (" + t.description + ")";
  }
  issuer = std::move(path.chain[1]);
  return "";
}

}  // namespace

FulcioChain verify_fulcio_chain(X509* leaf, const TrustMaterial& trust,
                                const std::vector<TimeToCheck>& times) {
  if (times.empty()) throw Error(ErrorKind::kUntrustedSigner, "no verified time to check the certificate at");
  std::string reasons;
  for (const TrustedAuthority& ca : trust.fulcio_cas()) {
    crypto::X509Ptr issuer;
    std::string why = ca_rejects(leaf, ca, times, issuer);
    if (why.empty()) return FulcioChain{&ca, std::move(issuer)};
    reasons += (reasons.empty() ? "" : "; ") + ca.label + ": " + why;
  }
  if (trust.fulcio_cas().empty()) reasons = "the trusted root has no certificate authorities";
  throw Error(ErrorKind::kUntrustedSigner,
              "signing certificate does not chain to a trusted Fulcio CA at every verified time (" +
                  reasons + ")");
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
