// The Sigstore bundle verifier (client spec section 4): establish verified
// times, check the transparency log entries, the certificate at every
// verified time, the identity, the signature, and what it binds to.
#include <nlohmann/json.hpp>

#include "bundle/dsse.h"
#include "crypto/ec_key.h"
#include "crypto/key_algorithm.h"
#include "crypto/signature.h"
#include "crypto/x509.h"
#include "model_signing/error.h"
#include "model_signing/sigstore.h"
#include "sigstore/certificate/certificate_identity.h"
#include "sigstore/certificate/certificate_transparency.h"
#include "sigstore/certificate/fulcio_certificate.h"
#include "sigstore/timestamp/rfc3161_timestamp.h"
#include "sigstore/tlog/transparency_log.h"
#include "sigstore/trust/trust_material.h"
#include "sigstore/verify/artifact_digest.h"
#include "util/encoding.h"
#include "util/error_context.h"
#include "util/file_io.h"

namespace model_signing::sigstore {

struct BundleVerifier::Impl {
  Impl(const TrustedRoot& root, const BundleVerifierOptions& options)
      : trust(root), options(options) {}
  TrustMaterial trust;
  BundleVerifierOptions options;
};

namespace {

// Bundle media type -> minor version (1, 2 or 3).
int bundle_version(const std::string& media_type) {
  if (media_type == "application/vnd.dev.sigstore.bundle+json;version=0.1") return 1;
  if (media_type == "application/vnd.dev.sigstore.bundle+json;version=0.2") return 2;
  if (media_type == "application/vnd.dev.sigstore.bundle+json;version=0.3" ||
      media_type == "application/vnd.dev.sigstore.bundle.v0.3+json") {
    return 3;
  }
  throw Error(ErrorKind::kMalformedBundle, "unsupported bundle media type '" + util::excerpt(media_type) + "'");
}

// The policy's minimum counts. Throws Error(kUntrustedSigner).
void require_at_least(std::size_t have, std::size_t want, const char* what) {
  if (have >= want) return;
  throw Error(ErrorKind::kUntrustedSigner, "bundle has " + std::to_string(have) + " " + what +
                                               " that verify; the policy requires at least " +
                                               std::to_string(want));
}

struct Material {
  crypto::X509Ptr leaf;  // certificate bundles
  crypto::PkeyPtr key;   // key bundles
  EVP_PKEY* signer() const { return leaf ? X509_get0_pubkey(leaf.get()) : key.get(); }
};

Material verification_material(const VerificationMaterial& vm, const VerificationPolicy& policy) {
  Material m;
  if (vm.kind == VerificationMaterial::Kind::kPublicKey) {
    if (!policy.public_key_pem) {
      throw Error(ErrorKind::kUntrustedSigner,
                  "bundle is signed with a managed public key, not a certificate: verifying it "
                  "needs that key");
    }
    m.key = crypto::parse_public_key(*policy.public_key_pem);
    if (!m.key) throw Error(ErrorKind::kKey, "the given public key is not a PEM public key");
    if (vm.public_key_raw) {
      crypto::PkeyPtr raw = crypto::parse_public_key(std::string_view(
          reinterpret_cast<const char*>(vm.public_key_raw->data()), vm.public_key_raw->size()));
      if (!raw || !crypto::same_public_key(raw.get(), m.key.get())) {
        throw Error(ErrorKind::kInvalidSignature,
                    "bundle's public key (rawBytes) is not the given public key");
      }
    }
    return m;
  }
  if (!policy.identity) {
    throw Error(ErrorKind::kInvalidArgument,
                "bundle is signed with a certificate: verifying it needs the expected identity and "
                "OIDC issuer");
  }
  for (std::size_t i = 0; i < vm.certificates.size(); ++i) {
    crypto::X509Ptr cert = crypto::parse_certificate_der(vm.certificates[i]);
    if (!cert) {
      throw Error(ErrorKind::kMalformedBundle,
                  "certificate " + std::to_string(i) + " of the bundle is not valid DER");
    }
    // Roots come from the trusted root only; intermediates in the bundle are
    // not used (client spec 4.6: only out-of-band intermediates count).
    if (crypto::is_self_signed(cert.get())) {
      throw Error(ErrorKind::kUntrustedSigner,
                  "bundle's certificate chain contains a root (self-signed) certificate '" +
                      crypto::subject_name(cert.get()) + "'; roots must come from the trusted root");
    }
    if (i == 0) m.leaf = std::move(cert);
  }
  return m;
}

std::string describe(const VerifiedTimestamp& t, std::size_t index) {
  return t.source == VerifiedTimestamp::Source::kTransparencyLog
             ? "the integrated time of transparency log entry " + std::to_string(index)
             : "RFC 3161 timestamp " + std::to_string(index);
}

// The message signature over the artifact, with the key's hash.
void verify_message_signature_over_artifact(EVP_PKEY* key, const Bytes& signature,
                                            const Artifact& artifact, ArtifactDigests& digests) {
  const EVP_MD* md = crypto::signing_hash(key, "signing key");
  bool ok = false;
  if (!md) {  // Ed25519 signs the message itself
    if (artifact.kind() == Artifact::Kind::kSha256) {
      throw Error(ErrorKind::kUnsupported,
                  "an Ed25519 message signature cannot be verified from a digest");
    }
    std::string bytes = artifact.kind() == Artifact::Kind::kBytes
                            ? artifact.bytes()
                            : util::read_file(artifact.path(), std::size_t{1} << 32);
    ok = crypto::verify_signature(key, nullptr, bytes, signature);
  } else {
    std::optional<Bytes> digest = digests.digest(md);
    if (!digest) {
      throw Error(ErrorKind::kUnsupported, std::string("the signing key hashes with ") +
                                               EVP_MD_get0_name(md) +
                                               "; a SHA-256 digest of the artifact is not enough");
    }
    ok = crypto::verify_prehashed_signature(key, md, *digest, signature);
  }
  if (!ok) {
    throw Error(ErrorKind::kInvalidSignature,
                "message signature does not verify: the artifact was not signed by this key or "
                "was modified");
  }
}

// A DSSE artifact must be a subject of the in-toto statement.
void check_statement_subject(const DsseEnvelope& envelope, ArtifactDigests& digests) {
  std::optional<Bytes> sha256 = digests.digest(EVP_sha256());
  if (!sha256) return;
  if (envelope.payload_type != kInTotoPayloadType) {
    throw Error(ErrorKind::kInvalidSignature,
                "DSSE payload type is '" + util::excerpt(envelope.payload_type) + "', not an in-toto statement");
  }
  nlohmann::json statement = nlohmann::json::parse(envelope.payload, nullptr, false);
  if (!statement.is_object() || !statement.contains("subject") || !statement["subject"].is_array()) {
    throw Error(ErrorKind::kMalformedBundle, "DSSE payload is not an in-toto statement with subjects");
  }
  std::string hex = util::to_hex(*sha256);
  for (const auto& subject : statement["subject"]) {
    if (!subject.is_object() || !subject.contains("digest") || !subject["digest"].is_object()) continue;
    const auto& digest = subject["digest"];
    if (digest.contains("sha256") && digest["sha256"].is_string() &&
        digest["sha256"].get<std::string>() == hex) {
      return;
    }
  }
  throw Error(ErrorKind::kInvalidSignature,
              "the artifact (sha256:" + hex + ") is not a subject of the signed in-toto statement");
}

}  // namespace

BundleVerifier::BundleVerifier(const TrustedRoot& root, const BundleVerifierOptions& options)
    : impl_(std::make_unique<Impl>(root, options)) {}
BundleVerifier::~BundleVerifier() = default;
BundleVerifier::BundleVerifier(BundleVerifier&&) noexcept = default;
BundleVerifier& BundleVerifier::operator=(BundleVerifier&&) noexcept = default;

BundleVerificationResult BundleVerifier::verify(const Bundle& bundle, const Artifact& artifact,
                                                const VerificationPolicy& policy) const {
  const TrustMaterial& trust = impl_->trust;
  const BundleVerifierOptions& options = impl_->options;
  const VerificationMaterial& vm = bundle.verification_material;
  const int version = bundle_version(bundle.media_type);
  ArtifactDigests digests(artifact);

  // What was signed.
  SignedContent content;
  const DsseEnvelope* envelope = bundle.dsse_envelope ? &*bundle.dsse_envelope : nullptr;
  if (envelope) {
    if (envelope->signatures.size() != 1) {
      throw Error(ErrorKind::kMalformedBundle,
                  "DSSE envelope must carry exactly one signature, found " +
                      std::to_string(envelope->signatures.size()));
    }
    content.envelope = envelope;
    content.signature = envelope->signatures[0].sig;
  } else if (bundle.message_signature) {
    if (artifact.kind() == Artifact::Kind::kNone) {
      throw Error(ErrorKind::kInvalidArgument,
                  "bundle holds a message signature: verifying it needs the artifact");
    }
    content.signature = bundle.message_signature->signature;
    content.artifact_digest = [&digests](const EVP_MD* md) { return digests.digest(md); };
  } else {
    throw Error(ErrorKind::kMalformedBundle, "bundle has neither a DSSE envelope nor a message signature");
  }

  // Who signed it.
  Material material = verification_material(vm, policy);
  content.certificate = material.leaf.get();
  content.public_key = material.key.get();

  // Transparency log entries, and the times their SETs vouch for.
  if (vm.tlog_entries.empty() && options.min_tlog_entries > 0) {
    throw Error(ErrorKind::kUntrustedSigner,
                "bundle has no transparency log entries (verificationMaterial.tlogEntries): "
                "Sigstore verification requires the signature to be logged");
  }
  require_at_least(vm.tlog_entries.size(), options.min_tlog_entries, "transparency log entries");
  TlogRequirements required{version == 1, version >= 2};
  std::vector<VerifiedTimestamp> times;
  std::vector<std::size_t> time_index;
  std::vector<const TrustedLog*> undated_logs;
  bool rekor_v2 = false;
  for (std::size_t i = 0; i < vm.tlog_entries.size(); ++i) {
    const TransparencyLogEntry& entry = vm.tlog_entries[i];
    std::string where = "transparency log entry " + std::to_string(i) + " (" + entry.kind + " " +
                        entry.version + ", log index " + std::to_string(entry.log_index) + ")";
    VerifiedTlogEntry verified = util::with_error_prefix(
        where, [&] { return verify_tlog_entry(entry, trust, content, required); });
    rekor_v2 = rekor_v2 || verified.entry.rekor_v2();
    if (verified.integrated_time) {
      times.push_back({VerifiedTimestamp::Source::kTransparencyLog, *verified.integrated_time});
      time_index.push_back(i);
    } else {
      undated_logs.push_back(verified.log);
    }
  }

  // Signed timestamps over the signature.
  std::size_t tsa_times = 0;
  for (std::size_t i = 0; i < vm.rfc3161_timestamps.size(); ++i) {
    std::string where = "timestampVerificationData.rfc3161Timestamps[" + std::to_string(i) + "]";
    Time t = util::with_error_prefix(where, [&] {
      return verify_rfc3161_timestamp(vm.rfc3161_timestamps[i], content.signature, trust);
    });
    times.push_back({VerifiedTimestamp::Source::kTimestampAuthority, t});
    time_index.push_back(i);
    ++tsa_times;
  }
  if (rekor_v2 && tsa_times == 0 && options.rekor_v2_requires_timestamp) {
    throw Error(ErrorKind::kUntrustedSigner,
                "bundle has a Rekor v2 entry, which carries no integrated time, but no RFC 3161 "
                "timestamp");
  }
  if (times.empty() && options.min_verified_times > 0) {
    throw Error(ErrorKind::kUntrustedSigner,
                "bundle has no verified time: neither a signed entry timestamp nor an RFC 3161 "
                "timestamp");
  }
  require_at_least(times.size(), options.min_verified_times, "verified times");
  require_at_least(tsa_times, options.min_rfc3161_timestamps, "RFC 3161 timestamps");
  // Logs whose entries carry no signed time must have been trusted when the
  // timestamp authorities saw the signature.
  for (const TrustedLog* log : undated_logs) {
    for (std::size_t k = 0; k < times.size(); ++k) {
      if (times[k].source != VerifiedTimestamp::Source::kTimestampAuthority) continue;
      require_log_key_valid(*log, times[k].time, describe(times[k], time_index[k]));
    }
  }

  BundleVerificationResult result;
  // The certificate, at every verified time.
  if (material.leaf) {
    X509* leaf = material.leaf.get();
    check_fulcio_profile(leaf);
    std::vector<TimeToCheck> checks;
    for (std::size_t k = 0; k < times.size(); ++k) {
      checks.push_back({times[k].time, describe(times[k], time_index[k])});
    }
    FulcioChain chain = verify_fulcio_chain(leaf, trust, checks);
    verify_embedded_scts(leaf, chain.issuer.get(), trust);
    check_certificate_identity(leaf, *policy.identity);
    result.identity = policy.identity->subject_alternative_name;
    result.oidc_issuer = policy.identity->oidc_issuer;
  }

  // The signature, and what it binds to.
  EVP_PKEY* signer = material.signer();
  if (!signer) throw Error(ErrorKind::kMalformedBundle, "signing certificate has no usable public key");
  if (envelope) {
    if (!crypto::verify_message_signature(signer, dsse::pae(envelope->payload_type, envelope->payload),
                                  content.signature, "signing key")) {
      throw Error(ErrorKind::kInvalidSignature,
                  "DSSE envelope signature does not verify: the envelope was not signed by this "
                  "key or was modified");
    }
    check_statement_subject(*envelope, digests);
    result.payload_type = envelope->payload_type;
    result.payload = envelope->payload;
  } else {
    const MessageSignature& ms = *bundle.message_signature;
    if (!ms.digest.empty()) {
      const EVP_MD* md = crypto::hash_by_proto_name(ms.digest_algorithm);
      if (!md) {
        throw Error(ErrorKind::kUnsupported,
                    "message digest algorithm '" + util::excerpt(ms.digest_algorithm) + "' is not supported");
      }
      std::optional<Bytes> actual = digests.digest(md);
      if (actual && *actual != ms.digest) {
        throw Error(ErrorKind::kInvalidSignature,
                    "bundle's message digest is not the artifact's " + ms.digest_algorithm + " digest");
      }
    }
    verify_message_signature_over_artifact(signer, content.signature, artifact, digests);
  }
  result.timestamps = std::move(times);
  return result;
}

}  // namespace model_signing::sigstore
