// describe_signature(): what a bundle claims, for `inspect` and for the
// signer details of sign and verify reports. Nothing is verified here.
#include "signing/signature_info.h"

#include "crypto/x509.h"
#include "model_signing/error.h"
#include "signing/dsse_envelope.h"
#include "sigstore/certificate/certificate_identity.h"
#include "sigstore/timestamp/rfc3161_timestamp.h"
#include "util/encoding.h"

namespace model_signing {

std::string_view to_string(SignatureMethod method) {
  switch (method) {
    case SignatureMethod::kKey:
      return "key";
    case SignatureMethod::kCertificate:
      return "certificate";
    case SignatureMethod::kSigstore:
      return "sigstore";
  }
  return "unknown";
}

CertificateInfo describe_certificate(const Bytes& der) {
  crypto::X509Ptr cert = crypto::parse_certificate_der(der);
  if (!cert) throw Error(ErrorKind::kMalformedBundle, "certificate is not valid DER");
  CertificateInfo info;
  info.subject = crypto::subject_name(cert.get());
  info.issuer = crypto::issuer_name(cert.get());
  info.serial = crypto::serial_hex(cert.get());
  info.sha256_fingerprint = crypto::sha256_fingerprint(cert.get());
  auto not_before = crypto::asn1_time_seconds(X509_get0_notBefore(cert.get()));
  auto not_after = crypto::asn1_time_seconds(X509_get0_notAfter(cert.get()));
  if (!not_before || !not_after) {
    throw Error(ErrorKind::kMalformedBundle,
                "certificate " + util::printable(info.subject) + " has a malformed validity time");
  }
  info.not_before = *not_before;
  info.not_after = *not_after;
  info.identities = sigstore::certificate_identities(cert.get());
  try {
    info.oidc_issuer = sigstore::certificate_oidc_issuer(cert.get());
  } catch (const Error& e) {
    throw Error(ErrorKind::kMalformedBundle, e.what());
  }
  return info;
}

SignatureInfo describe_signature(const Bundle& bundle) {
  const DsseEnvelope& envelope = signing::require_single_signature_envelope(bundle);
  return signing::describe_signature(bundle,
                                     manifest_from_statement(envelope.payload_type, envelope.payload));
}

SignatureInfo signing::describe_signature(const Bundle& bundle, Manifest manifest) {
  const VerificationMaterial& vm = bundle.verification_material;
  SignatureInfo info;
  info.media_type = bundle.media_type;
  info.manifest = std::move(manifest);
  for (std::size_t i = 0; i < vm.certificates.size(); ++i) {
    try {
      info.certificates.push_back(describe_certificate(vm.certificates[i]));
    } catch (const Error& e) {
      throw Error(ErrorKind::kMalformedBundle,
                  "certificate " + std::to_string(i) + " in the bundle: " + e.what());
    }
  }
  for (const auto& entry : vm.tlog_entries) {
    LogEntryInfo log;
    log.log_index = entry.log_index;
    log.log_id = util::to_hex(entry.log_id);
    log.kind = entry.kind;
    log.version = entry.version;
    // Beyond year 2262 a nanosecond time point overflows; no log wrote that.
    if (entry.integrated_time < 0 || entry.integrated_time > 9'000'000'000) {
      throw Error(ErrorKind::kMalformedBundle,
                  "transparency log entry " + std::to_string(entry.log_index) +
                      " has an integrated time out of range: " + std::to_string(entry.integrated_time));
    }
    if (entry.integrated_time != 0) {
      log.integrated_time = sigstore::Time(std::chrono::seconds(entry.integrated_time));
    }
    log.has_inclusion_proof = entry.inclusion_proof.has_value();
    log.has_inclusion_promise = entry.signed_entry_timestamp.has_value();
    info.log_entries.push_back(std::move(log));
  }
  for (const auto& timestamp : vm.rfc3161_timestamps) {
    try {
      info.timestamps.push_back(sigstore::rfc3161_gen_time(timestamp));
    } catch (const Error& e) {
      throw Error(ErrorKind::kMalformedBundle, e.what());
    }
  }
  if (vm.kind == VerificationMaterial::Kind::kPublicKey) {
    info.method = SignatureMethod::kKey;
    info.public_key_hint = vm.public_key_hint;
    info.key_details = vm.public_key_details;
  } else if (vm.kind == VerificationMaterial::Kind::kCertificate || !vm.tlog_entries.empty() ||
             (!info.certificates.empty() && info.certificates[0].oidc_issuer)) {
    info.method = SignatureMethod::kSigstore;
  } else {
    info.method = SignatureMethod::kCertificate;
  }
  return info;
}

}  // namespace model_signing
