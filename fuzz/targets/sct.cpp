// Signed certificate timestamps: the input is the TLS-encoded SCT list of
// a real Fulcio leaf's SCT extension, which is replaced by it; the list is
// read and verified against the production CT logs.
#include <openssl/x509v3.h>

#include "crypto/x509.h"
#include "fuzz_support.h"
#include "fuzz_target.h"
#include "model_signing/bundle.h"
#include "sigstore/certificate/certificate_transparency.h"
#include "sigstore/trust/trust_material.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(sct) {
  struct Fixture {
    crypto::X509Ptr leaf;
    std::unique_ptr<sigstore::TrustMaterial> trust;
  };
  static const Fixture fixture = [] {
    Fixture f;
    Bundle bundle = parse_bundle(read_shared("vectors/model-transparency/v1.0.0-sigstore/model.sig"));
    f.leaf = crypto::parse_certificate_der(bundle.verification_material.certificates.at(0));
    int index = X509_get_ext_by_NID(f.leaf.get(), NID_ct_precert_scts, -1);
    if (index >= 0) X509_EXTENSION_free(X509_delete_ext(f.leaf.get(), index));
    // X509_dup() copies the cached encoding, which still holds the deleted
    // extension: re-encode, or every copy has two SCT lists.
    unsigned char* tbs = nullptr;
    if (i2d_re_X509_tbs(f.leaf.get(), &tbs) > 0) OPENSSL_free(tbs);
    f.trust = std::make_unique<sigstore::TrustMaterial>(trusted_roots().front());
    return f;
  }();
  crypto::X509Ptr leaf(X509_dup(fixture.leaf.get()));
  // The extension's value: an OCTET STRING holding the list.
  ASN1_OCTET_STRING* list = ASN1_OCTET_STRING_new();
  ASN1_OCTET_STRING_set(list, reinterpret_cast<const unsigned char*>(input.data()), static_cast<int>(input.size()));
  unsigned char* der = nullptr;
  int der_len = i2d_ASN1_OCTET_STRING(list, &der);
  ASN1_OCTET_STRING_free(list);
  ASN1_OCTET_STRING* value = ASN1_OCTET_STRING_new();
  ASN1_OCTET_STRING_set(value, der, der_len);
  OPENSSL_free(der);
  X509_EXTENSION* ext = X509_EXTENSION_create_by_NID(nullptr, NID_ct_precert_scts, 0, value);
  ASN1_OCTET_STRING_free(value);
  X509_add_ext(leaf.get(), ext, -1);
  X509_EXTENSION_free(ext);
  check(X509_get_ext_count(leaf.get()) == X509_get_ext_count(fixture.leaf.get()) + 1,
        "the fuzzed SCT list is not the leaf's only one");
  run([&] { sigstore::embedded_scts(leaf.get()); });
  for (const auto& ca : fixture.trust->fulcio_cas()) {
    if (ca.chain().empty()) continue;
    run([&] { sigstore::verify_embedded_scts(leaf.get(), ca.chain().front().get(), *fixture.trust); });
  }
}

}  // namespace model_signing::fuzz
