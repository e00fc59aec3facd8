// The certificate method's verifier: the bundle's leaf certificate signs the envelope
// and chains (through the bundle's other certificates) to a trust anchor, now
// or, with a verified RFC 3161 timestamp, at the timestamp's time.
#include <openssl/x509v3.h>

#include <chrono>
#include <optional>

#include "crypto/ec_key.h"
#include "crypto/x509.h"
#include "model_signing/error.h"
#include "model_signing/verifying.h"
#include "signing/dsse_envelope.h"
#include "signing/timestamp/timestamp_verification.h"

namespace model_signing {

namespace {

class CertificateVerifier final : public Verifier {
 public:
  explicit CertificateVerifier(const CertificateVerifierOptions& options)
      : options_(options), timestamps_(options.timestamps) {
    for (const auto& file : options.trust_anchors) {
      for (auto& cert : crypto::load_certificates_pem(file)) anchors_.push_back(std::move(cert));
    }
  }

  VerifiedPayload verify(const Bundle& bundle) override {
    const DsseEnvelope& envelope = signing::method_envelope(
        bundle, {VerificationMaterial::Kind::kX509CertificateChain}, "a certificate chain");
    const VerificationMaterial& vm = bundle.verification_material;
    std::vector<crypto::X509Ptr> certs;
    for (std::size_t i = 0; i < vm.certificates.size(); ++i) {
      crypto::X509Ptr cert = crypto::parse_certificate_der(vm.certificates[i]);
      if (!cert) {
        throw Error(ErrorKind::kMalformedBundle,
                    "certificate " + std::to_string(i) + " in the bundle is not valid DER");
      }
      certs.push_back(std::move(cert));
    }
    X509* leaf = certs[0].get();
    VerifiedPayload result;
    if (options_.log_fingerprints) {
      for (const auto& cert : certs) {
        result.details.push_back("certificate " + crypto::subject_name(cert.get()) +
                                 " SHA-256 fingerprint " + crypto::sha256_fingerprint(cert.get()));
      }
    }
    // A verified timestamp says when the signature existed: the chain must
    // have been valid then (and may have expired since).
    std::vector<sigstore::Time> times = timestamps_.verify(vm, envelope.signatures[0].sig, result);
    if (times.empty()) {
      verify_chain(certs, std::nullopt);
    } else {
      for (sigstore::Time t : times) {
        verify_chain(certs, t);
        result.details.push_back("certificate chain verified at " + sigstore::format_time(t) +
                                 ", the time of the RFC 3161 timestamp" + expired_since(leaf));
      }
    }
    if (!crypto::allows_code_signing(leaf)) {
      throw Error(ErrorKind::kUntrustedSigner,
                  "signing certificate " + crypto::subject_name(leaf) +
                      " is not for signing: it has neither the digitalSignature key usage nor "
                      "the codeSigning extended key usage");
    }
    EVP_PKEY* key = X509_get0_pubkey(leaf);
    if (!key) throw Error(ErrorKind::kMalformedBundle, "signing certificate has no usable public key");
    crypto::require_supported_ec_key(key, "signing certificate key");
    signing::verify_envelope_signature(envelope, key, result.warnings);
    result.payload_type = envelope.payload_type;
    result.payload = envelope.payload;
    return result;
  }

 private:
  // " (the signing certificate has expired since, at ...)" when it has.
  static std::string expired_since(X509* leaf) {
    if (X509_cmp_time(X509_get0_notAfter(leaf), nullptr) >= 0) return "";
    crypto::BioPtr bio(BIO_new(BIO_s_mem()));
    ASN1_TIME_print_ex(bio.get(), X509_get0_notAfter(leaf), ASN1_DTFLGS_ISO8601);
    char* data = nullptr;
    long len = BIO_get_mem_data(bio.get(), &data);
    return " (the signing certificate has expired since, at " + std::string(data, static_cast<std::size_t>(len)) +
           ")";
  }

  // The chain at `at` (a verified timestamp's time); else now, or with
  // allow_expired_certificate at the leaf's notBefore.
  void verify_chain(const std::vector<crypto::X509Ptr>& certs, std::optional<sigstore::Time> at) {
    crypto::X509StorePtr store(X509_STORE_new());
    if (anchors_.empty()) {
      X509_STORE_set_default_paths(store.get());
    } else {
      for (const auto& anchor : anchors_) X509_STORE_add_cert(store.get(), anchor.get());
    }
    crypto::X509StackPtr untrusted(sk_X509_new_null());
    for (std::size_t i = 1; i < certs.size(); ++i) {
      X509_up_ref(certs[i].get());
      sk_X509_push(untrusted.get(), certs[i].get());
    }
    crypto::X509StoreCtxPtr ctx(X509_STORE_CTX_new());
    if (X509_STORE_CTX_init(ctx.get(), store.get(), certs[0].get(), untrusted.get()) != 1) {
      throw Error(ErrorKind::kUntrustedSigner,
                  "cannot set up certificate verification: " + crypto::take_openssl_error());
    }
    X509_VERIFY_PARAM* param = X509_STORE_CTX_get0_param(ctx.get());
    // Anchors the user names are trusted even if they are intermediates.
    X509_VERIFY_PARAM_set_flags(param, X509_V_FLAG_PARTIAL_CHAIN);
    if (at) {
      X509_VERIFY_PARAM_set_time(param, std::chrono::system_clock::to_time_t(
                                            std::chrono::floor<std::chrono::seconds>(*at)));
    } else if (options_.allow_expired_certificate) {
      // Upstream's behaviour: the chain must have been valid when the leaf
      // was issued; later expiry does not matter.
      ASN1_TIME* not_before = X509_getm_notBefore(certs[0].get());
      struct tm tm {};
      if (ASN1_TIME_to_tm(not_before, &tm) == 1) {
        X509_VERIFY_PARAM_set_time(param, timegm(&tm));
      }
    }
    if (X509_verify_cert(ctx.get()) != 1) {
      int err = X509_STORE_CTX_get_error(ctx.get());
      X509* bad = X509_STORE_CTX_get_current_cert(ctx.get());
      std::string who = bad ? crypto::subject_name(bad) : crypto::subject_name(certs[0].get());
      crypto::clear_openssl_errors();
      Remedy remedy = err == X509_V_ERR_CERT_HAS_EXPIRED && !options_.allow_expired_certificate
                          ? Remedy::kAllowExpiredCertificate
                          : Remedy::kNone;
      throw Error(ErrorKind::kUntrustedSigner,
                  "certificate chain does not verify at " + who + ": " + X509_verify_cert_error_string(err) +
                      (at ? " (checked at " + sigstore::format_time(*at) + ", the time of the RFC 3161 timestamp)"
                          : ""),
                  remedy);
    }
  }

  CertificateVerifierOptions options_;
  signing::TimestampVerifier timestamps_;
  std::vector<crypto::X509Ptr> anchors_;
};

}  // namespace

std::unique_ptr<Verifier> make_certificate_verifier(const CertificateVerifierOptions& options) {
  return std::make_unique<CertificateVerifier>(options);
}

VerifyingConfig& VerifyingConfig::use_certificate_verifier(
    const CertificateVerifierOptions& options) {
  return use_verifier(make_certificate_verifier(options));
}

}  // namespace model_signing
