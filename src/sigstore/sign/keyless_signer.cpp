// The keyless Sigstore signer: token -> ephemeral key -> Fulcio certificate
// -> signature -> timestamps -> log entries -> bundle, each piece checked
// before the next step relies on it.
#include <openssl/ec.h>

#include <algorithm>
#include <ctime>

#include "bundle/dsse.h"
#include "crypto/digest.h"
#include "crypto/ec_key.h"
#include "crypto/key_algorithm.h"
#include "crypto/signature.h"
#include "crypto/x509.h"
#include "model_signing/error.h"
#include "model_signing/sigstore_sign.h"
#include "model_signing/sigstore_trust.h"
#include "net/curl_library.h"
#include "net/http_client.h"
#include "sigstore/oidc/ambient_credentials.h"
#include "sigstore/oidc/identity_token.h"
#include "sigstore/oidc/oauth_flow.h"
#include "sigstore/sign/evidence_checks.h"
#include "sigstore/sign/fulcio_client.h"
#include "sigstore/sign/keyless_signer.h"
#include "sigstore/sign/rekor_client.h"
#include "sigstore/sign/service_selection.h"
#include "sigstore/sign/timestamp_client.h"
#include "util/encoding.h"

namespace model_signing::sigstore {

namespace {

Time current_time() {
  return std::chrono::time_point_cast<std::chrono::nanoseconds>(std::chrono::system_clock::now());
}

// When to check a certificate Fulcio just issued: now, or its notBefore if
// that is (by clock skew between us and Fulcio) still ahead of us. The
// signature's own time is checked later against the timestamps.
Time issuance_check_time(X509* leaf) {
  Time now = current_time();
  std::tm tm{};
  if (ASN1_TIME_to_tm(X509_get0_notBefore(leaf), &tm) != 1) return now;
  Time not_before = std::chrono::sys_seconds(std::chrono::seconds(timegm(&tm)));
  return std::max(now, not_before);
}

crypto::PkeyPtr ephemeral_p256_key() {
  crypto::clear_openssl_errors();
  crypto::PkeyPtr key(EVP_EC_gen("P-256"));
  if (!key) {
    throw Error(ErrorKind::kKey, "cannot generate the ephemeral signing key: " +
                                     crypto::take_openssl_error());
  }
  return key;
}

ClientTrustConfig load_trust(const SigstoreSigningOptions& options) {
  if (options.trust) return *options.trust;
  TrustOptions trust;
  trust.use_staging = options.use_staging;
  trust.trust_config = options.trust_config;
  trust.tuf = options.tuf;
  trust.need_signing_config = true;
  return select_trust_config(trust).config;
}

}  // namespace

class KeylessSigner::Impl {
 public:
  explicit Impl(SigstoreSigningOptions options)
      : options_(std::move(options)), trust_(load_trust(options_)) {
    // Before the sign-in: without libcurl there is no signing to sign in for.
    net::curl_library("Sigstore signing");
    if (!trust_.signing_config) {
      throw Error(ErrorKind::kInvalidArgument,
                  (options_.trust_config.empty() ? std::string("the trust config")
                                                 : "trust config " + util::printable(options_.trust_config.string())) +
                      " is a bare trusted root; signing needs a client trust config with a "
                      "signingConfig (which Fulcio, Rekor and TSA to use)");
    }
  }

  Bundle sign(const Signable& what) const {
    SelectedServices services = select_signing_services(*trust_.signing_config, current_time());
    IdentityToken token = parse_identity_token(identity_token(services));
    check_identity_token(token, std::time(nullptr));

    crypto::PkeyPtr key = ephemeral_p256_key();
    net::HttpClient fulcio("Fulcio", options_.http, {token.raw});
    std::vector<crypto::X509Ptr> chain =
        request_signing_certificate(fulcio, services.ca.url, token, key.get());
    EvidenceChecks checks(trust_.trusted_root);
    X509* leaf = chain.front().get();
    checks.issued_certificate(leaf, issuance_check_time(leaf), "Fulcio at " + services.ca.url);

    // The certificate is for this P-256 key: ECDSA with SHA-256.
    auto sign_bytes = [&key](std::string_view message) {
      return crypto::sign_message(key.get(), EVP_sha256(), message);
    };
    Bundle bundle;
    bundle.media_type = std::string(kBundleMediaTypeV03);
    SignedArtifact signed_artifact;
    if (what.payload_type) {
      bundle.dsse_envelope = DsseEnvelope{what.content, *what.payload_type, {}};
      bundle.dsse_envelope->signatures.push_back(
          {sign_bytes(dsse::pae(*what.payload_type, what.content)), ""});
      signed_artifact.envelope = &*bundle.dsse_envelope;
      signed_artifact.signature = bundle.dsse_envelope->signatures.front().sig;
    } else {
      signed_artifact.digest = crypto::sha256(what.content);
      signed_artifact.signature = sign_bytes(what.content);
      bundle.message_signature = MessageSignature{"SHA2_256", signed_artifact.digest,
                                                  signed_artifact.signature};
    }
    VerificationMaterial& material = bundle.verification_material;
    material.kind = VerificationMaterial::Kind::kCertificate;
    material.certificates.push_back(crypto::certificate_der(leaf));
    material.tlog_entries_present = true;

    for (const auto& tsa : services.tsas) {
      net::HttpClient client("timestamp authority", options_.http);
      Bytes response = request_timestamp(client, tsa.url, signed_artifact.signature);
      checks.timestamp(response, signed_artifact.signature, "timestamp authority at " + tsa.url);
      material.rfc3161_timestamps.push_back(std::move(response));
    }
    const std::string key_details(crypto::key_details_name(crypto::EcCurve::kP256));
    SignedContent content = signed_content(what, signed_artifact, leaf);
    for (const auto& log : services.tlogs) {
      net::HttpClient client(log.major_api_version == 2 ? "Rekor v2" : "Rekor", options_.http);
      TransparencyLogEntry entry =
          log.major_api_version == 2
              ? create_rekor_v2_entry(client, log.url, signed_artifact, leaf, key_details)
              : create_rekor_v1_entry(client, log.url, signed_artifact, leaf);
      checks.log_entry(entry, content, client.service() + " at " + log.url);
      material.tlog_entries.push_back(std::move(entry));
    }
    checks.signed_bundle(bundle, leaf,
                         what.payload_type ? Artifact::none() : Artifact::from_bytes(what.content));
    return bundle;
  }

 private:
  static SignedContent signed_content(const Signable& what, const SignedArtifact& signed_artifact,
                                      X509* leaf) {
    SignedContent content;
    content.envelope = signed_artifact.envelope;
    content.signature = signed_artifact.signature;
    content.certificate = leaf;
    if (!what.payload_type) {
      const std::string* artifact = &what.content;
      content.artifact_digest = [artifact](const EVP_MD* md) -> std::optional<Bytes> {
        return crypto::digest_of(md, *artifact);
      };
    }
    return content;
  }

  // Precedence as in the Python tool: a given token, then ambient
  // credentials (when allowed), then the interactive sign-in.
  std::string identity_token(const SelectedServices& services) const {
    if (!options_.identity_token.empty()) return options_.identity_token;
    if (options_.use_ambient_credentials) {
      AmbientEnvironment environment;
      environment.command_timeout = options_.http.timeout;
      if (auto credential = detect_ambient_credential(options_.http, "sigstore", environment)) {
        return credential->token;
      }
    }
    if (!services.oidc) {
      throw Error(ErrorKind::kInvalidArgument,
                  "no identity token: the signing config names no OIDC issuer (oidcUrls) for "
                  "interactive sign-in; pass --identity-token or --use-ambient-credentials");
    }
    OAuthFlowConfig flow;
    flow.issuer = services.oidc->url;
    flow.client_id = options_.client_id;
    flow.client_secret = options_.client_secret;
    flow.force_oob = options_.oauth_force_oob;
    flow.show_url = options_.show_authorization_url;
    flow.read_code = options_.read_authorization_code;
    flow.timeout = options_.authorization_timeout;
    flow.http = options_.http;
    return interactive_identity_token(flow);
  }

  SigstoreSigningOptions options_;
  ClientTrustConfig trust_;
};

KeylessSigner::KeylessSigner(SigstoreSigningOptions options)
    : impl_(std::make_unique<Impl>(std::move(options))) {}
KeylessSigner::~KeylessSigner() = default;

Bundle KeylessSigner::sign(const Signable& what) const { return impl_->sign(what); }

Bundle sign_message_keyless(const SigstoreSigningOptions& options, const std::string& artifact) {
  return KeylessSigner(options).sign({std::nullopt, artifact});
}

Bundle sign_dsse_keyless(const SigstoreSigningOptions& options, const std::string& payload_type,
                         const std::string& payload) {
  return KeylessSigner(options).sign({payload_type, payload});
}

}  // namespace model_signing::sigstore
