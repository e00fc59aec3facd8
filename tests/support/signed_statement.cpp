#include "support/signed_statement.h"

#include <stdexcept>

#include "bundle/dsse.h"
#include "crypto/digest.h"
#include "signing/checked_key.h"
#include "signing/key/key_signer.h"
#include "signing/key/pem_private_key.h"
#include "support/test_support.h"
#include "util/encoding.h"

namespace model_signing::testing {

std::string key_signed_bundle(const std::filesystem::path& private_key, const std::string& payload,
                              const std::string& payload_type) {
  signing::CheckedKey key(signing::load_pem_private_key(private_key, std::nullopt));
  Bundle bundle;
  bundle.media_type = std::string(kBundleMediaTypeV03);
  bundle.verification_material = signing::public_key_material(key.public_key());
  DsseEnvelope envelope;
  envelope.payload = payload;
  envelope.payload_type = payload_type;
  envelope.signatures.push_back({key.sign(dsse::pae(payload_type, payload)), ""});
  bundle.dsse_envelope = std::move(envelope);
  return serialize_bundle(bundle);
}

void recompute_root_digest(nlohmann::json& statement) {
  std::string all;
  for (const auto& r : statement["predicate"]["resources"]) {
    auto digest = util::from_hex(r["digest"].get<std::string>());
    if (!digest) throw std::runtime_error("resource digest is not hex");
    all.append(digest->begin(), digest->end());
  }
  statement["subject"][0]["digest"]["sha256"] = util::to_hex(crypto::sha256(all));
}

nlohmann::json statement_of(const std::filesystem::path& signature) {
  Bundle bundle = parse_bundle(read_file(signature));
  return nlohmann::json::parse(bundle.dsse_envelope.value().payload);
}

}  // namespace model_signing::testing
