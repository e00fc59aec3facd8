// The keyless Sigstore signer: token -> ephemeral key -> Fulcio certificate
// -> DSSE signature -> timestamps -> log entries -> bundle, each piece
// checked before the next step relies on it.
#include <openssl/ec.h>

#include <algorithm>
#include <ctime>

#include "crypto/ec_key.h"
#include "crypto/x509.h"
#include "model_signing/error.h"
#include "model_signing/sigstore_sign.h"
#include "model_signing/sigstore_trust.h"
#include "signing/dsse_signer.h"
#include "signing/signing_key.h"
#include "sigstore/oidc/ambient_credentials.h"
#include "sigstore/oidc/identity_token.h"
#include "sigstore/oidc/oauth_flow.h"
#include "sigstore/sign/evidence_checks.h"
#include "sigstore/sign/fulcio_client.h"
#include "sigstore/sign/http_client.h"
#include "sigstore/sign/rekor_client.h"
#include "sigstore/sign/service_selection.h"
#include "sigstore/sign/timestamp_client.h"

namespace model_signing {

namespace {

using sigstore::HttpClient;

crypto::PkeyPtr ephemeral_p256_key() {
  crypto::clear_openssl_errors();
  crypto::PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) {
    throw Error(ErrorKind::kKey, "cannot generate the ephemeral signing key: " +
                                     crypto::take_openssl_error());
  }
  return key;
}

sigstore::Time current_time() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

// When to check a certificate Fulcio just issued: now, or its notBefore if
// that is (by clock skew between us and Fulcio) still ahead of us. The
// signature's own time is checked later against the timestamps.
sigstore::Time issuance_check_time(X509* leaf) {
  sigstore::Time now = current_time();
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notBefore(leaf), &tm) != 1) return now;
  sigstore::Time not_before = std::chrono::sys_seconds(std::chrono::seconds(timegm(&tm)));
  return std::max(now, not_before);
}

sigstore::ClientTrustConfig load_trust(const SigstoreSigningOptions& options) {
  if (options.use_staging && !options.trust_config.empty()) {
    throw Error(ErrorKind::kInvalidArgument,
                "use either --use-staging or --trust-config, not both");
  }
  sigstore::ClientTrustConfig trust =
      !options.trust_config.empty()
          ? sigstore::load_trust_config(options.trust_config)
          : sigstore::embedded_trust_config(options.use_staging ? sigstore::Instance::kStaging
                                                                : sigstore::Instance::kProduction);
  if (!trust.signing_config) {
    throw Error(ErrorKind::kInvalidArgument,
                "trust config " + options.trust_config.string() +
                    " is a bare trusted root; signing needs a client trust config with a "
                    "signingConfig (which Fulcio, Rekor and TSA to use)");
  }
  return trust;
}

class SigstoreSigner final : public Signer {
 public:
  SigstoreSigner(SigstoreSigningOptions options, sigstore::ClientTrustConfig trust)
      : options_(std::move(options)), trust_(std::move(trust)) {}

  Bundle sign(const std::string& statement) override {
    sigstore::SelectedServices services =
        sigstore::select_signing_services(*trust_.signing_config, current_time());

    sigstore::IdentityToken token = sigstore::parse_identity_token(identity_token(services));
    sigstore::check_identity_token(token, std::time(nullptr));

    crypto::PkeyPtr key = ephemeral_p256_key();
    HttpClient fulcio("Fulcio", options_.http, {token.raw});
    std::vector<crypto::X509Ptr> chain =
        sigstore::request_signing_certificate(fulcio, services.ca.url, token, key.get());
    sigstore::EvidenceChecks checks(trust_.trusted_root);
    X509* leaf = chain.front().get();
    checks.issued_certificate(leaf, issuance_check_time(leaf), "Fulcio at " + services.ca.url);

    auto signing_key = signing::make_signing_key(std::move(key));
    Bundle bundle;
    bundle.media_type = std::string(kBundleMediaTypeV03);
    bundle.dsse_envelope = signing::sign_envelope(*signing_key, statement);
    VerificationMaterial& material = bundle.verification_material;
    material.kind = VerificationMaterial::Kind::kCertificate;
    material.certificates.push_back(crypto::certificate_der(leaf));
    material.tlog_entries_present = true;
    const Bytes& signature = bundle.dsse_envelope->signatures.front().sig;

    for (const auto& tsa : services.tsas) {
      HttpClient client("timestamp authority", options_.http);
      Bytes response = sigstore::request_timestamp(client, tsa.url, signature);
      checks.timestamp(response, signature, "timestamp authority at " + tsa.url);
      material.rfc3161_timestamps.push_back(std::move(response));
    }
    const std::string key_details(crypto::key_details_name(crypto::EcCurve::kP256));
    for (const auto& log : services.tlogs) {
      HttpClient client(log.major_api_version == 2 ? "Rekor v2" : "Rekor", options_.http);
      TransparencyLogEntry entry =
          log.major_api_version == 2
              ? sigstore::create_rekor_v2_entry(client, log.url, *bundle.dsse_envelope, leaf,
                                                key_details)
              : sigstore::create_rekor_v1_entry(client, log.url, *bundle.dsse_envelope, leaf);
      checks.log_entry(entry, *bundle.dsse_envelope, leaf, client.service() + " at " + log.url);
      material.tlog_entries.push_back(std::move(entry));
    }
    checks.signed_bundle(bundle, leaf);
    return bundle;
  }

 private:
  // Precedence as in the Python tool: a given token, then ambient
  // credentials (when allowed), then the interactive sign-in.
  std::string identity_token(const sigstore::SelectedServices& services) const {
    if (!options_.identity_token.empty()) return options_.identity_token;
    if (options_.use_ambient_credentials) {
      if (auto credential = sigstore::detect_ambient_credential(options_.http)) {
        return credential->token;
      }
    }
    if (!services.oidc) {
      throw Error(ErrorKind::kInvalidArgument,
                  "no identity token: the signing config names no OIDC issuer (oidcUrls) for "
                  "interactive sign-in; pass --identity-token or --use-ambient-credentials");
    }
    sigstore::OAuthFlowConfig flow;
    flow.issuer = services.oidc->url;
    flow.client_id = options_.client_id;
    flow.client_secret = options_.client_secret;
    flow.force_oob = options_.oauth_force_oob;
    flow.show_url = options_.show_authorization_url;
    flow.read_code = options_.read_authorization_code;
    flow.timeout = options_.authorization_timeout;
    flow.http = options_.http;
    return sigstore::interactive_identity_token(flow);
  }

  SigstoreSigningOptions options_;
  sigstore::ClientTrustConfig trust_;
};

}  // namespace

std::unique_ptr<Signer> make_sigstore_signer(SigstoreSigningOptions options) {
  sigstore::ClientTrustConfig trust = load_trust(options);
  return std::make_unique<SigstoreSigner>(std::move(options), std::move(trust));
}

}  // namespace model_signing
