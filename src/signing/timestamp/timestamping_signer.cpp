// make_timestamping_signer(): RFC 3161 timestamps over the DSSE signature of
// any signer's bundle, each checked before it goes into the bundle.
#include <utility>

#include "crypto/x509.h"
#include "model_signing/error.h"
#include "model_signing/signing.h"
#include "net/http_client.h"
#include "signing/dsse_envelope.h"
#include "sigstore/sign/timestamp_client.h"
#include "sigstore/timestamp/rfc3161_timestamp.h"
#include "util/error_context.h"

namespace model_signing {

namespace {

class TimestampingSigner final : public Signer {
 public:
  TimestampingSigner(std::unique_ptr<Signer> signer, TimestampingOptions options)
      : signer_(std::move(signer)),
        urls_(std::move(options.tsa_urls)),
        tsa_("timestamp authority", options.http) {
    if (!signer_) throw Error(ErrorKind::kInvalidArgument, "no signer to timestamp the signatures of");
    if (urls_.empty()) throw Error(ErrorKind::kInvalidArgument, "no timestamp authority URL given");
    for (const auto& file : options.tsa_certificate_chain) {
      for (auto& cert : crypto::load_certificates_pem(file)) anchors_.push_back(std::move(cert));
    }
  }

  Bundle sign(const std::string& statement) override {
    Bundle bundle = signer_->sign(statement);
    const Bytes& signature = signing::require_single_signature_envelope(bundle).signatures[0].sig;
    std::vector<X509*> anchors;
    for (const auto& a : anchors_) anchors.push_back(a.get());
    for (const std::string& url : urls_) {
      Bytes response = sigstore::request_timestamp(tsa_, url, signature);
      util::with_error_prefix("the timestamp from " + url, [&] {
        return sigstore::verify_rfc3161_timestamp(response, signature, anchors);
      });
      bundle.verification_material.rfc3161_timestamps.push_back(std::move(response));
    }
    return bundle;
  }

 private:
  std::unique_ptr<Signer> signer_;
  std::vector<std::string> urls_;
  std::vector<crypto::X509Ptr> anchors_;
  net::HttpClient tsa_;
};

}  // namespace

std::unique_ptr<Signer> make_timestamping_signer(std::unique_ptr<Signer> signer, TimestampingOptions options) {
  return std::make_unique<TimestampingSigner>(std::move(signer), std::move(options));
}

}  // namespace model_signing
