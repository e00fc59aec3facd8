// Hostile inputs, one row each: every row must end in exit 1 with one clear
// line on stderr naming what is wrong, never a crash or a hang; a failing
// `sign` leaves no signature file behind and a pre-existing one untouched.
//
// Bundles with hostile statements are validly signed with the test key, so
// it is the statement checks (not the signature check) that reject them.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/pem.h>

#include <algorithm>
#include <cstdlib>
#include <functional>
#include <iostream>

#include <nlohmann/json.hpp>

#include "bundle/dsse.h"
#include "crypto/signature.h"
#include "model_signing/bundle.h"
#include "model_signing/signing.h"
#include "support/cli_expect.h"
#include "support/signed_statement.h"
#include "support/test_pki.h"
#include "support/test_support.h"
#include "util/encoding.h"

namespace model_signing::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr auto kTimeout = std::chrono::seconds(60);

// A signed model plus the keys that signed it; rows break one thing each.
class Env {
 public:
  Env() {
    write_file(model() / "a.bin", "alpha");
    write_file(model() / "sub/b.bin", "bravo");
    generate_ec_key("P-256", key(), pub());
    SigningConfig().use_key_signer(key()).sign(model(), sig());
  }

  fs::path path(const std::string& rel) const { return dir_ / rel; }
  fs::path model() const { return dir_ / "model"; }
  fs::path key() const { return dir_ / "key.pem"; }
  fs::path pub() const { return dir_ / "key.pub"; }
  fs::path sig() const { return dir_ / "model.sig"; }
  // Where `sign` rows write: must stay absent, or untouched if present.
  fs::path out() const { return dir_ / "out.sig"; }

  std::vector<std::string> verify_key(const fs::path& signature, const fs::path& public_key = {}) const {
    return {"verify", "key", model().string(), "--signature", signature.string(), "--public-key",
            (public_key.empty() ? pub() : public_key).string()};
  }
  std::vector<std::string> sign_key(const fs::path& private_key = {}) const {
    return {"sign", "key", model().string(), "--private-key", (private_key.empty() ? key() : private_key).string(),
            "--signature", out().string()};
  }

  // The signed statement of the valid signature, to be broken and re-signed.
  json statement() const { return statement_of(sig()); }
  fs::path write_signed(const json& statement, const std::string& payload_type = std::string(kInTotoPayloadType)) const {
    return write_signed_payload(statement.dump(2), payload_type);
  }
  fs::path write_signed_payload(const std::string& payload,
                                const std::string& payload_type = std::string(kInTotoPayloadType)) const {
    fs::path crafted = dir_ / "crafted.sig";
    write_file(crafted, key_signed_bundle(key(), payload, payload_type));
    return crafted;
  }
  fs::path write_bundle_text(const std::string& text) const {
    fs::path crafted = dir_ / "crafted.sig";
    write_file(crafted, text);
    return crafted;
  }
  json bundle_json() const { return json::parse(read_file(sig())); }

  // A CA, and a leaf it issued for `spec` with its key, as PEM files.
  void make_pki(const CertSpec& spec, const std::string& curve = "P-256") {
    TestIdentity root = TestIdentity::make_root();
    TestIdentity leaf = root.issue(spec, curve);
    root.write_cert_pem(path("root.pem"));
    leaf.write_cert_pem(path("leaf.pem"));
    leaf.write_key_pem(path("leaf.key"));
  }
  std::vector<std::string> sign_certificate() const {
    return {"sign", "certificate", model().string(), "--private-key", path("leaf.key").string(),
            "--signing-certificate", path("leaf.pem").string(), "--signature", out().string()};
  }
  // Signs with the leaf (library, so even a leaf the CLI would refuse).
  fs::path cert_signed() const {
    fs::path out = path("cert.sig");
    SigningConfig().use_certificate_signer(path("leaf.key"), path("leaf.pem"), {}).sign(model(), out);
    return out;
  }
  std::vector<std::string> verify_certificate(const fs::path& signature, const fs::path& anchors) const {
    return {"verify", "certificate", model().string(), "--signature", signature.string(), "--certificate-chain",
            anchors.string()};
  }

 private:
  TempDir dir_;
};


void write_foreign_key(const Env& env, const std::string& type) {
  EVP_PKEY* key = generate_key(type);
  write_pem_key(key, env.path("foreign.pem"), env.path("foreign.pub"));
  EVP_PKEY_free(key);
}

// A certificate-method bundle whose leaf holds an RSA key, signed by it.
fs::path rsa_leaf_bundle(Env& env) {
  TestIdentity root = TestIdentity::make_root();
  TestIdentity leaf = root.issue(CertSpec{}, "RSA");
  root.write_cert_pem(env.path("root.pem"));
  std::string payload = json(env.statement()).dump(2);
  Bundle bundle;
  bundle.media_type = std::string(kBundleMediaTypeV03);
  bundle.verification_material.kind = VerificationMaterial::Kind::kX509CertificateChain;
  unsigned char* der = nullptr;
  int len = i2d_X509(leaf.cert(), &der);
  bundle.verification_material.certificates.push_back(Bytes(der, der + len));
  OPENSSL_free(der);
  DsseEnvelope envelope;
  envelope.payload = payload;
  envelope.payload_type = std::string(kInTotoPayloadType);
  envelope.signatures.push_back(
      {crypto::sign_message(leaf.key(), EVP_sha256(), dsse::pae(envelope.payload_type, payload)), ""});
  bundle.dsse_envelope = envelope;
  return env.write_bundle_text(serialize_bundle(bundle));
}

struct Row {
  std::string name;
  // Prepares the environment; returns the CLI arguments.
  std::function<std::vector<std::string>(Env&)> setup;
  std::string needle;  // must appear in the error line
  bool writes_out = false;  // a `sign` row writing env.out()
  // The signature file itself is malformed: `inspect` must fail on it too,
  // with the same reason.
  bool malformed_signature = false;
};

void PrintTo(const Row& row, std::ostream* os) { *os << row.name; }

std::vector<Row> rows() {
  std::vector<Row> r;
  auto add = [&](std::string name, std::string needle, std::function<std::vector<std::string>(Env&)> setup,
                 bool writes_out = false) {
    r.push_back({std::move(name), std::move(setup), std::move(needle), writes_out});
  };
  // A row whose signature file is malformed: verify and inspect both fail on it.
  auto add_malformed = [&](std::string name, std::string needle,
                           std::function<std::vector<std::string>(Env&)> setup) {
    r.push_back({std::move(name), std::move(setup), std::move(needle), false, true});
  };

  // --- The bundle file ---------------------------------------------------
  add_malformed("TruncatedBundle", "not valid JSON", [](Env& e) {
    std::string text = read_file(e.sig());
    return e.verify_key(e.write_bundle_text(text.substr(0, text.size() / 2)));
  });
  add_malformed("GarbageBundle", "not valid JSON", [](Env& e) {
    std::string junk;
    for (int i = 0; i < 4096; ++i) junk += static_cast<char>((i * 7919 + 13) & 0xff);
    return e.verify_key(e.write_bundle_text(junk));
  });
  add_malformed("EmptyBundle", "empty document", [](Env& e) { return e.verify_key(e.write_bundle_text("")); });
  add_malformed("WhitespaceBundle", "empty document", [](Env& e) { return e.verify_key(e.write_bundle_text(" \n\t\n")); });
  add_malformed("BundleNotAnObject", "expected a JSON object", [](Env& e) { return e.verify_key(e.write_bundle_text("[1, 2]")); });
  add_malformed("DeeplyNestedBundle", "nested deeper than 512 levels", [](Env& e) {
    return e.verify_key(e.write_bundle_text(std::string(100000, '[') + std::string(100000, ']')));
  });
  add_malformed("DuplicateKeyInBundle", "duplicate key 'mediaType'", [](Env& e) {
    std::string text = read_file(e.sig());
    return e.verify_key(e.write_bundle_text("{\"mediaType\": \"x\", " + text.substr(1)));
  });
  add_malformed("NumberBeyondDouble", "number overflow", [](Env& e) {
    std::string text = read_file(e.sig());
    return e.verify_key(e.write_bundle_text("{\"x\": 1e400, " + text.substr(1)));
  });
  add_malformed("TerminalEscapesInMediaType", "unsupported media type '\\x1b]0;owned\\x07\\x1b[2J\\u{009b}31m'", [](Env& e) {
    json b = e.bundle_json();
    b["mediaType"] = "\x1b]0;owned\x07\x1b[2J\xc2\x9b" "31m";
    return e.verify_key(e.write_bundle_text(b.dump()));
  });
  add_malformed("HugeMediaType", "(52428800 bytes)", [](Env& e) {
    json b = e.bundle_json();
    b["mediaType"] = std::string(50 << 20, 'm');
    return e.verify_key(e.write_bundle_text(b.dump()));
  });
  add("TerminalEscapesInKeyHint", "bundle key hint \\x1b[31mred", [](Env& e) {
    generate_ec_key("P-256", e.path("other.pem"), e.path("other.pub"));
    json b = e.bundle_json();
    b["verificationMaterial"]["publicKey"]["hint"] = "\x1b[31mred";
    return e.verify_key(e.write_bundle_text(b.dump()), e.path("other.pub"));
  });
  add_malformed("WrongMediaType", "unsupported media type", [](Env& e) {
    json b = e.bundle_json();
    b["mediaType"] = "application/vnd.dev.sigstore.bundle.v9.9+json";
    return e.verify_key(e.write_bundle_text(b.dump()));
  });
  add_malformed("MissingMediaType", "mediaType", [](Env& e) {
    json b = e.bundle_json();
    b.erase("mediaType");
    return e.verify_key(e.write_bundle_text(b.dump()));
  });
  add_malformed("MissingEnvelope", "dsseEnvelope", [](Env& e) {
    json b = e.bundle_json();
    b.erase("dsseEnvelope");
    return e.verify_key(e.write_bundle_text(b.dump()));
  });
  add_malformed("MissingVerificationMaterial", "verificationMaterial", [](Env& e) {
    json b = e.bundle_json();
    b.erase("verificationMaterial");
    return e.verify_key(e.write_bundle_text(b.dump()));
  });
  add_malformed("PayloadNotBase64", "payload: not valid base64", [](Env& e) {
    json b = e.bundle_json();
    b["dsseEnvelope"]["payload"] = "%%%not base64%%%";
    return e.verify_key(e.write_bundle_text(b.dump()));
  });
  add_malformed("SignatureNotBase64", "sig: not valid base64", [](Env& e) {
    json b = e.bundle_json();
    b["dsseEnvelope"]["signatures"][0]["sig"] = "***";
    return e.verify_key(e.write_bundle_text(b.dump()));
  });
  add_malformed("NoSignatures", "exactly one signature", [](Env& e) {
    json b = e.bundle_json();
    b["dsseEnvelope"]["signatures"] = json::array();
    return e.verify_key(e.write_bundle_text(b.dump()));
  });
  add_malformed("TwoSignatures", "exactly one signature", [](Env& e) {
    json b = e.bundle_json();
    b["dsseEnvelope"]["signatures"].push_back(b["dsseEnvelope"]["signatures"][0]);
    return e.verify_key(e.write_bundle_text(b.dump()));
  });
  add("PayloadSwappedUnderTheSignature", "signature does not verify", [](Env& e) {
    json st = e.statement();
    st["subject"][0]["name"] = "renamed";
    json b = e.bundle_json();
    b["dsseEnvelope"]["payload"] = util::base64_encode(st.dump(2));
    return e.verify_key(e.write_bundle_text(b.dump()));
  });
  add("SignatureBitFlipped", "signature does not verify", [](Env& e) {
    json b = e.bundle_json();
    auto sig = *util::base64_decode(b["dsseEnvelope"]["signatures"][0]["sig"].get<std::string>());
    sig[sig.size() - 3] ^= 0x01;
    b["dsseEnvelope"]["signatures"][0]["sig"] = util::base64_encode(sig);
    return e.verify_key(e.write_bundle_text(b.dump()));
  });
  add("CertificateBundleGivenToVerifyKey", "not signed with a key", [](Env& e) {
    e.make_pki(CertSpec{});
    return e.verify_key(e.cert_signed());
  });
  add("KeyBundleGivenToVerifyCertificate", "not signed with a certificate chain", [](Env& e) {
    e.make_pki(CertSpec{});
    return e.verify_certificate(e.sig(), e.path("root.pem"));
  });
  add_malformed("SignatureFileMissing", "cannot read", [](Env& e) { return e.verify_key(e.path("nowhere.sig")); });
  add_malformed("SignatureFileIsADirectory", "is a directory", [](Env& e) { return e.verify_key(e.model()); });
  add_malformed("SignatureFileIsAFifo", "not a regular file", [](Env& e) {
    EXPECT_EQ(::mkfifo(e.path("fifo.sig").c_str(), 0644), 0);
    return e.verify_key(e.path("fifo.sig"));
  });

  // --- The signed statement (validly signed, so the statement checks run) --
  add_malformed("PayloadTypeMismatch", "payload type 'application/json'",
      [](Env& e) { return e.verify_key(e.write_signed(e.statement(), "application/json")); });
  add_malformed("PredicateTypeMismatch", "predicate type 'https://example.com/other/v1'", [](Env& e) {
    json st = e.statement();
    st["predicateType"] = "https://example.com/other/v1";
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("StatementTypeMismatch", "_type", [](Env& e) {
    json st = e.statement();
    st["_type"] = "https://in-toto.io/Statement/v0.1";
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("PayloadNotJson", "not valid JSON", [](Env& e) { return e.verify_key(e.write_signed_payload("{not json")); });
  add_malformed("StatementNotAnObject", "expected a JSON object",
      [](Env& e) { return e.verify_key(e.write_signed_payload("[\"statement\"]")); });
  add_malformed("TwoSubjects", "exactly one subject", [](Env& e) {
    json st = e.statement();
    st["subject"].push_back(st["subject"][0]);
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("RootDigestInconsistentWithResources", "root digest", [](Env& e) {
    json st = e.statement();
    st["subject"][0]["digest"]["sha256"] = std::string(64, '0');
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("ResourceDigestChangedRootKept", "root digest", [](Env& e) {
    json st = e.statement();
    st["predicate"]["resources"][0]["digest"] = std::string(64, 'a');
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("ResourceNameAbsolute", "absolute path", [](Env& e) {
    json st = e.statement();
    st["predicate"]["resources"][0]["name"] = "/etc/passwd";
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("ResourceNameDotDot", "'..' component", [](Env& e) {
    json st = e.statement();
    st["predicate"]["resources"][0]["name"] = "../outside.bin";
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("ResourceNameInnerDotDot", "'..' component", [](Env& e) {
    json st = e.statement();
    st["predicate"]["resources"][0]["name"] = "sub/../../a.bin";
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("DuplicateResourceNames", "duplicate resource name 'a.bin'", [](Env& e) {
    json st = e.statement();
    st["predicate"]["resources"].push_back(st["predicate"]["resources"][0]);
    recompute_root_digest(st);
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("ResourceDigestNotHex", "not a hex digest", [](Env& e) {
    json st = e.statement();
    st["predicate"]["resources"][0]["digest"] = "zz";
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("ResourceDigestWrongLength", "expected 32", [](Env& e) {
    json st = e.statement();
    st["predicate"]["resources"][0]["digest"] = "abcd";
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("ResourceAlgorithmMismatch", "does not match hash_type", [](Env& e) {
    json st = e.statement();
    st["predicate"]["resources"][0]["algorithm"] = "md5";
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("UnknownHashType", "unknown hash algorithm 'md5'", [](Env& e) {
    json st = e.statement();
    st["predicate"]["serialization"]["hash_type"] = "md5";
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("UnknownSerializationMethod", "unknown serialization method", [](Env& e) {
    json st = e.statement();
    st["predicate"]["serialization"]["method"] = "tensors";
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("MissingResources", "resources", [](Env& e) {
    json st = e.statement();
    st["predicate"].erase("resources");
    return e.verify_key(e.write_signed(st));
  });
  // OMS 5.2.1: at least one resource, whatever the flags.
  add_malformed("EmptyResources", "no resources", [](Env& e) {
    json st = e.statement();
    st["predicate"]["resources"] = json::array();
    recompute_root_digest(st);
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("EmptyResourcesIgnoringUnsignedFiles", "no resources", [](Env& e) {
    json st = e.statement();
    st["predicate"]["resources"] = json::array();
    recompute_root_digest(st);
    auto args = e.verify_key(e.write_signed(st));
    args.push_back("--ignore-unsigned-files");
    return args;
  });
  add_malformed("ShardOffsetWithLeadingZeros", "leading zeros", [](Env& e) {
    json st = e.statement();
    st["predicate"]["serialization"]["method"] = "shards";
    st["predicate"]["serialization"]["shard_size"] = 8;
    st["predicate"]["resources"][0]["name"] = "a.bin:00:5";
    st["predicate"]["resources"][0]["algorithm"] = "sha256-sharded-8";
    st["predicate"]["resources"][1]["name"] = "sub/b.bin:0:5";
    st["predicate"]["resources"][1]["algorithm"] = "sha256-sharded-8";
    return e.verify_key(e.write_signed(st));
  });
  // A signer's shard_size of 1 on a 4 MiB file: refused from the file
  // sizes before anything is hashed (it would be 4 million shards).
  add("ShardSizeOneOnALargeFile", "a.bin", [](Env& e) {
    write_file(e.model() / "a.bin", std::string(4 << 20, 'x'));
    json st = e.statement();
    st["predicate"]["serialization"]["method"] = "shards";
    st["predicate"]["serialization"]["shard_size"] = 1;
    st["predicate"]["resources"][0]["name"] = "a.bin:0:1";
    st["predicate"]["resources"][0]["algorithm"] = "sha256-sharded-1";
    st["predicate"]["resources"][1]["name"] = "sub/b.bin:0:1";
    st["predicate"]["resources"][1]["algorithm"] = "sha256-sharded-1";
    return e.verify_key(e.write_signed(st));
  });
  add("ShardSizeOneOnALargeFileIgnoringUnsignedFiles", "a.bin", [](Env& e) {
    write_file(e.model() / "a.bin", std::string(4 << 20, 'x'));
    json st = e.statement();
    st["predicate"]["serialization"]["method"] = "shards";
    st["predicate"]["serialization"]["shard_size"] = 1;
    st["predicate"]["resources"][0]["name"] = "a.bin:0:1";
    st["predicate"]["resources"][0]["algorithm"] = "sha256-sharded-1";
    st["predicate"]["resources"].erase(1);
    recompute_root_digest(st);
    auto args = e.verify_key(e.write_signed(st));
    args.push_back("--ignore-unsigned-files");
    return args;
  });
  add_malformed("ShardNameMalformed", "malformed shard resource name", [](Env& e) {
    json st = e.statement();
    st["predicate"]["serialization"]["method"] = "shards";
    st["predicate"]["serialization"]["shard_size"] = 8;
    st["predicate"]["resources"][0]["name"] = "a.bin:x:y";
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("ShardSizeZero", "shard_size must be positive", [](Env& e) {
    json st = e.statement();
    st["predicate"]["serialization"]["method"] = "shards";
    st["predicate"]["serialization"]["shard_size"] = 0;
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("ShardSizeFractional", "expected an integer", [](Env& e) {
    json st = e.statement();
    st["predicate"]["serialization"]["method"] = "shards";
    st["predicate"]["serialization"]["shard_size"] = 8.5;
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("ResourceNameWithANewline", "'a\\x0ab/../c' contains a '..'", [](Env& e) {
    json st = e.statement();
    st["predicate"]["resources"][0]["name"] = "a\nb/../c";
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("ShardSizeBeyondInt64", "integer out of range", [](Env& e) {
    json st = e.statement();
    st["predicate"]["serialization"]["method"] = "shards";
    st["predicate"]["serialization"]["shard_size"] = std::uint64_t{1} << 63;
    return e.verify_key(e.write_signed(st));
  });
  add_malformed("IgnorePathEscapesTheModel", "ignore path '../elsewhere' contains a '..' component", [](Env& e) {
    json st = e.statement();
    st["predicate"]["serialization"]["ignore_paths"] = {"../elsewhere"};
    return e.verify_key(e.write_signed(st));
  });

  // --- Keys ----------------------------------------------------------------
  for (const auto& [type, shown] : std::vector<std::pair<std::string, std::string>>{
           {"RSA", "RSA (2048 bits)"}, {"ED25519", "ED25519"}, {"P-192", "P-192"}}) {
    std::string id = type == "P-192" ? "P192" : type;
    add("Sign" + id + "Key", shown, [type = type](Env& e) {
      write_foreign_key(e, type);
      return e.sign_key(e.path("foreign.pem"));
    }, true);
    add("Verify" + id + "Key", shown, [type = type](Env& e) {
      write_foreign_key(e, type);
      return e.verify_key(e.sig(), e.path("foreign.pub"));
    });
  }
  add("SignCertificateWithRsaKey", "RSA (2048 bits)", [](Env& e) {
    e.make_pki(CertSpec{}, "RSA");
    return e.sign_certificate();
  }, true);
  add("VerifyCertificateWithRsaLeaf", "RSA (2048 bits)",
      [](Env& e) { return e.verify_certificate(rsa_leaf_bundle(e), e.path("root.pem")); });
  add("WrongPublicKey", "does not match the key that signed", [](Env& e) {
    generate_ec_key("P-256", e.path("other.pem"), e.path("other.pub"));
    return e.verify_key(e.sig(), e.path("other.pub"));
  });
  add("WrongPublicKeyNoHint", "signature does not verify", [](Env& e) {
    generate_ec_key("P-256", e.path("other.pem"), e.path("other.pub"));
    json b = e.bundle_json();
    b["verificationMaterial"]["publicKey"].erase("hint");
    return e.verify_key(e.write_bundle_text(b.dump()), e.path("other.pub"));
  });
  add("PrivateKeyMissing", "cannot read", [](Env& e) { return e.sign_key(e.path("absent.pem")); }, true);
  add("PrivateKeyGarbage", "cannot load private key", [](Env& e) {
    write_file(e.path("junk.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    return e.sign_key(e.path("junk.pem"));
  }, true);
  add("PublicKeyGarbage", "not a PEM public key", [](Env& e) {
    write_file(e.path("junk.pub"), "hello");
    return e.verify_key(e.sig(), e.path("junk.pub"));
  });
  add("PrivateKeyGivenAsPublicKey", "not a PEM public key",
      [](Env& e) { return e.verify_key(e.sig(), e.key()); });

  // --- Certificates --------------------------------------------------------
  add("CertificateFromAnotherCa", "certificate chain does not verify", [](Env& e) {
    e.make_pki(CertSpec{});
    TestIdentity::make_root("P-256", "Other CA").write_cert_pem(e.path("other-root.pem"));
    return e.verify_certificate(e.cert_signed(), e.path("other-root.pem"));
  });
  add("CertificateCheckedAgainstTheSystemStoreByDefault", "unable to get local issuer certificate", [](Env& e) {
    e.make_pki(CertSpec{});
    return std::vector<std::string>{"verify", "certificate", e.model().string(), "--signature",
                                    e.cert_signed().string()};
  });
  add("ExpiredCertificate", "certificate has expired; --allow-expired-certificate accepts", [](Env& e) {
    CertSpec spec;
    spec.not_before = std::time(nullptr) - 7200;
    spec.not_after = std::time(nullptr) - 3600;
    e.make_pki(spec);
    return e.verify_certificate(e.cert_signed(), e.path("root.pem"));
  });
  add("CertificateNotYetValid", "certificate is not yet valid", [](Env& e) {
    CertSpec spec;
    spec.not_before = std::time(nullptr) + 3600;
    e.make_pki(spec);
    return e.verify_certificate(e.cert_signed(), e.path("root.pem"));
  });
  add("CertificateWithoutSigningUsage", "is not for signing", [](Env& e) {
    CertSpec spec;
    spec.digital_signature = false;
    spec.code_signing = false;
    e.make_pki(spec);
    return e.verify_certificate(e.cert_signed(), e.path("root.pem"));
  });
  add("KeyDoesNotMatchCertificate", "does not match the signing certificate", [](Env& e) {
    e.make_pki(CertSpec{});
    generate_ec_key("P-256", e.path("leaf.key"), {});
    return e.sign_certificate();
  }, true);
  add("SigningCertificateNotACertificate", "no PEM certificate", [](Env& e) {
    e.make_pki(CertSpec{});
    write_file(e.path("leaf.pem"), "not a certificate");
    return e.sign_certificate();
  }, true);
  add("TrustAnchorFileWithoutCertificates", "no PEM certificate", [](Env& e) {
    e.make_pki(CertSpec{});
    write_file(e.path("empty-anchors.pem"), "");
    return e.verify_certificate(e.cert_signed(), e.path("empty-anchors.pem"));
  });
  add_malformed("BundleCertificateNotDer", "not valid DER", [](Env& e) {
    e.make_pki(CertSpec{});
    json b = json::parse(read_file(e.cert_signed()));
    b["verificationMaterial"]["x509CertificateChain"]["certificates"][0]["rawBytes"] = util::base64_encode("nope");
    return e.verify_certificate(e.write_bundle_text(b.dump()), e.path("root.pem"));
  });

  // --- The model -----------------------------------------------------------
  add("AddedFile", "extra", [](Env& e) {
    write_file(e.model() / "new.bin", "new");
    return e.verify_key(e.sig());
  });
  add("RemovedFile", "missing", [](Env& e) {
    fs::remove(e.model() / "sub/b.bin");
    return e.verify_key(e.sig());
  });
  add("RenamedFile", "sub/renamed.bin", [](Env& e) {
    fs::rename(e.model() / "sub/b.bin", e.model() / "sub/renamed.bin");
    return e.verify_key(e.sig());
  });
  add("ModifiedFile", "modified", [](Env& e) {
    write_file(e.model() / "a.bin", "alphA");
    return e.verify_key(e.sig());
  });
  add("FifoInModelOnVerify", "FIFO", [](Env& e) {
    EXPECT_EQ(::mkfifo((e.model() / "pipe").c_str(), 0644), 0);
    return e.verify_key(e.sig());
  });
  add("FifoInModelOnSign", "FIFO", [](Env& e) {
    EXPECT_EQ(::mkfifo((e.model() / "pipe").c_str(), 0644), 0);
    return e.sign_key();
  }, true);
  add("SignedFileReplacedByFifoIgnoringUnsigned", "FIFO", [](Env& e) {
    fs::remove(e.model() / "a.bin");
    EXPECT_EQ(::mkfifo((e.model() / "a.bin").c_str(), 0644), 0);
    auto args = e.verify_key(e.sig());
    args.push_back("--ignore-unsigned-files");
    return args;
  });
  add("SymlinkToFifoAllowed", "FIFO", [](Env& e) {
    EXPECT_EQ(::mkfifo(e.path("outside-pipe").c_str(), 0644), 0);
    fs::create_symlink(e.path("outside-pipe"), e.model() / "link");
    auto args = e.sign_key();
    args.push_back("--allow-symlinks");
    return args;
  }, true);
  add("FifoNamedWithANewline", "\\x0a", [](Env& e) {
    EXPECT_EQ(::mkfifo((e.model() / "evil\nname").c_str(), 0644), 0);
    return e.sign_key();
  }, true);
  add("BrokenSymlinkOnSign", "symbolic link", [](Env& e) {
    fs::create_symlink(e.path("no-such-target"), e.model() / "dangling");
    return e.sign_key();
  }, true);
  add("BrokenSymlinkOnSignAllowingSymlinks", "broken symbolic link", [](Env& e) {
    fs::create_symlink(e.path("no-such-target"), e.model() / "dangling");
    auto args = e.sign_key();
    args.push_back("--allow-symlinks");
    return args;
  }, true);
  add("BrokenSymlinkOnVerify", "dangling", [](Env& e) {
    fs::create_symlink(e.path("no-such-target"), e.model() / "dangling");
    return e.verify_key(e.sig());
  });
  add("ModelIsAFifo", "FIFO", [](Env& e) {
    EXPECT_EQ(::mkfifo(e.path("pipe-model").c_str(), 0644), 0);
    return std::vector<std::string>{"sign", "key", e.path("pipe-model").string(), "--private-key", e.key().string(),
                                    "--signature", e.out().string()};
  }, true);
  add("ModelIsACharacterDevice", "character device", [](Env& e) {
    return std::vector<std::string>{"sign", "key", "/dev/null", "--private-key", e.key().string(), "--signature",
                                    e.out().string()};
  }, true);
  add("ModelPathDoesNotExistOnSign", "does not exist", [](Env& e) {
    return std::vector<std::string>{"sign", "key", e.path("no-model").string(), "--private-key", e.key().string(),
                                    "--signature", e.out().string()};
  }, true);
  add("ModelPathDoesNotExistOnVerify", "does not exist", [](Env& e) {
    return std::vector<std::string>{"verify", "key", e.path("no-model").string(), "--signature",
                                    e.sig().string(), "--public-key", e.pub().string()};
  });
  add("ModelPathDoesNotExistOnDigest", "does not exist",
      [](Env& e) { return std::vector<std::string>{"digest", e.path("no-model").string()}; });
  add("EmptyModel", "model is empty: no files left to sign", [](Env& e) {
    fs::remove_all(e.model());
    fs::create_directories(e.model() / "only/dirs");
    return e.sign_key();
  }, true);
  add("EmptyModelOnVerify", "model is empty: no files left to verify", [](Env& e) {
    fs::remove_all(e.model());
    fs::create_directories(e.model() / "only/dirs");
    return e.verify_key(e.sig());
  });
  add("EmptyModelOnDigest", "model is empty: no files left to hash", [](Env& e) {
    fs::remove_all(e.model());
    fs::create_directories(e.model());
    return std::vector<std::string>{"digest", e.model().string()};
  });
  add("SymlinkOnSignNamesTheFlag", "(symlinks are rejected unless allowed); --allow-symlinks follows", [](Env& e) {
    fs::create_symlink(e.model() / "a.bin", e.model() / "link");
    return e.sign_key();
  }, true);
  add("SymlinkOnVerifyNamesTheFlag", "--allow-symlinks follows symbolic links", [](Env& e) {
    fs::create_symlink(e.model() / "a.bin", e.model() / "link");
    return e.verify_key(e.sig());
  });
  add("SignatureWouldOverwriteAFileOfTheModel", "would overwrite sub/b.bin, a file of the model that is not a signature",
      [](Env& e) {
        return std::vector<std::string>{"sign", "key", e.model().string(), "--private-key", e.key().string(),
                                        "--signature", (e.model() / "sub/b.bin").string()};
      });
  add("SignWithExpiredCertificate", "is expired: it is valid from ", [](Env& e) {
    CertSpec spec;
    spec.not_before = std::time(nullptr) - 7200;
    spec.not_after = std::time(nullptr) - 3600;
    e.make_pki(spec);
    return e.sign_certificate();
  }, true);
  add("SignWithCertificateNotYetValid", "is not yet valid: it is valid from ", [](Env& e) {
    CertSpec spec;
    spec.not_before = std::time(nullptr) + 3600;
    e.make_pki(spec);
    return e.sign_certificate();
  }, true);
  add("NonUtf8FileName", "not valid UTF-8", [](Env& e) {
    write_file(e.model() / "bad\xff.bin", "x");
    return e.sign_key();
  }, true);
  add("NonUtf8ModelDirectoryName", "model name is not valid UTF-8: bad\\xffmodel", [](Env& e) {
    fs::rename(e.model(), e.path("bad\xffmodel"));
    return std::vector<std::string>{"sign", "key", e.path("bad\xffmodel").string(), "--private-key",
                                    e.key().string(), "--signature", e.out().string()};
  }, true);
  add("NonUtf8SignatureNameInsideModel", "ignore path is not valid UTF-8: sig\\xfe", [](Env& e) {
    return std::vector<std::string>{"sign", "key", e.model().string(), "--private-key", e.key().string(),
                                    "--signature", (e.model() / "sig\xfe").string()};
  });
  add("NonUtf8IgnorePath", "ignore path is not valid UTF-8: skip\\xfe", [](Env& e) {
    auto args = e.sign_key();
    args.push_back("--ignore-paths");
    args.push_back((e.model() / "skip\xfe").string());
    return args;
  }, true);
  add("ShardSizeTooLargeToRecord", "shard size must be at most 9223372036854775807", [](Env& e) {
    auto args = e.sign_key();
    args.insert(args.end(), {"--serialization", "shards", "--shard-size", "18446744073709551615"});
    return args;
  }, true);
  add("SignatureWouldOverwriteSingleFileModel", "would overwrite the model", [](Env& e) {
    return std::vector<std::string>{"sign", "key", (e.model() / "a.bin").string(), "--private-key",
                                    e.key().string(), "--signature", (e.model() / "a.bin").string()};
  });
  add("SignatureDirectoryMissing", "cannot write", [](Env& e) {
    return std::vector<std::string>{"sign", "key", e.model().string(), "--private-key", e.key().string(),
                                    "--signature", e.path("no/such/dir/out.sig").string()};
  });
  add("SignaturePathIsADirectory", "Is a directory", [](Env& e) {
    fs::create_directories(e.path("sigdir"));
    return std::vector<std::string>{"sign", "key", e.model().string(), "--private-key", e.key().string(),
                                    "--signature", e.path("sigdir").string()};
  });
  return r;
}

class HostileInput : public ::testing::TestWithParam<Row> {};

// No temporary signature files may be left next to env.out().
void expect_no_temp_files(const Env& env) {
  for (const auto& entry : fs::directory_iterator(env.path(""))) {
    std::string name = entry.path().filename().string();
    EXPECT_EQ(name.find(".tmp"), std::string::npos) << "left behind: " << name;
  }
}

TEST_P(HostileInput, FailsWithOneClearLine) {
  const Row& row = GetParam();
  Env env;
  std::vector<std::string> args = row.setup(env);
  CommandResult result = run_command(cli_path().string(), args, "", {}, kTimeout);
  EXPECT_TRUE(one_line_failure(result, 1, row.needle));
  // Readable: bounded, printable, whatever the input held.
  EXPECT_LT(result.err.size(), 400u) << result.err;
  EXPECT_TRUE(util::is_valid_utf8(result.err)) << result.err;
  EXPECT_EQ(util::printable(result.err.substr(0, result.err.size() - 1)) + "\n", result.err);
  if (std::getenv("MS_SHOW_ERRORS")) std::cout << "  " << row.name << ": " << result.err;
  expect_no_temp_files(env);
  if (row.malformed_signature) {
    auto flag = std::find(args.begin(), args.end(), "--signature");
    ASSERT_NE(flag, args.end());
    CommandResult inspected = run_command(cli_path().string(), {"inspect", *(flag + 1)}, "", {}, kTimeout);
    EXPECT_TRUE(one_line_failure(inspected, 1, row.needle)) << "inspect";
  }
  if (!row.writes_out) return;
  EXPECT_FALSE(fs::exists(env.out())) << "a failed sign left a signature file";
  // Again over an existing signature: it must be left as it was.
  write_file(env.out(), "ORIGINAL SIGNATURE");
  result = run_command(cli_path().string(), args, "", {}, kTimeout);
  EXPECT_TRUE(one_line_failure(result, 1, row.needle));
  EXPECT_EQ(read_file(env.out()), "ORIGINAL SIGNATURE");
  expect_no_temp_files(env);
}

INSTANTIATE_TEST_SUITE_P(Table, HostileInput, ::testing::ValuesIn(rows()),
                         [](const ::testing::TestParamInfo<Row>& info) { return info.param.name; });

// OMS 6.1.1: with --allow-symlinks, a link that leads back into a directory
// containing it, and a link to a file outside the model, are signed around
// (the cycle) or through (the outside file) with one warning each, naming
// the link; verifying warns the same way. Sign, then verify.
struct LinkRow {
  std::string name;
  std::function<void(const Env&)> make_link;
  std::string link;    // the link's name, which the warning must show
  std::string reason;  // and what it says about it
};

class HostileSymlink : public ::testing::TestWithParam<LinkRow> {};

void PrintTo(const LinkRow& row, std::ostream* os) { *os << row.name; }

std::vector<std::string> warning_lines(const std::string& err) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < err.size()) {
    std::size_t end = err.find('\n', start);
    std::string line = err.substr(start, end == std::string::npos ? std::string::npos : end - start);
    if (line.rfind("Warning: ", 0) == 0) lines.push_back(line);
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return lines;
}

TEST_P(HostileSymlink, WarnsOncePerLinkNamingIt) {
  const LinkRow& row = GetParam();
  Env env;
  row.make_link(env);
  auto sign = env.sign_key();
  sign.push_back("--allow-symlinks");
  CommandResult signed_run = run_command(cli_path().string(), sign, "", {}, kTimeout);
  ASSERT_EQ(signed_run.exit_code, 0) << signed_run.err;
  std::vector<std::string> warnings = warning_lines(signed_run.err);
  ASSERT_EQ(warnings.size(), 1u) << signed_run.err;
  EXPECT_NE(warnings[0].find("symbolic link " + row.link + " "), std::string::npos) << warnings[0];
  EXPECT_NE(warnings[0].find(row.reason), std::string::npos) << warnings[0];

  auto verify = env.verify_key(env.out());
  verify.push_back("--allow-symlinks");
  CommandResult verified = run_command(cli_path().string(), verify, "", {}, kTimeout);
  ASSERT_EQ(verified.exit_code, 0) << verified.err;
  warnings = warning_lines(verified.err);
  ASSERT_EQ(warnings.size(), 1u) << verified.err;
  EXPECT_NE(warnings[0].find("symbolic link " + row.link + " "), std::string::npos) << warnings[0];

  // --output json carries the same warning, on sign and verify alike.
  for (auto args : {sign, verify}) {
    args.insert(args.end(), {"--output", "json"});
    CommandResult run = run_command(cli_path().string(), args, "", {}, kTimeout);
    ASSERT_EQ(run.exit_code, 0) << run.err;
    json report = json::parse(run.out);
    ASSERT_EQ(report["warnings"].size(), 1u) << run.out;
    std::string warning = report["warnings"][0];
    EXPECT_NE(warning.find("symbolic link " + row.link + " "), std::string::npos) << warning;
    EXPECT_NE(warning.find(row.reason), std::string::npos) << warning;
  }
}

INSTANTIATE_TEST_SUITE_P(
    Table, HostileSymlink,
    ::testing::Values(
        LinkRow{"CycleToTheModelRoot", [](const Env& e) { fs::create_symlink(".", e.model() / "cycle-link"); },
                "cycle-link", "(a cycle)"},
        LinkRow{"CycleToAnAncestor",
                [](const Env& e) { fs::create_symlink("..", e.model() / "sub" / "up-link"); }, "sub/up-link",
                "(a cycle)"},
        LinkRow{"FileOutsideTheModel",
                [](const Env& e) {
                  write_file(e.path("outside.bin"), "outside");
                  fs::create_symlink(e.path("outside.bin"), e.model() / "outside-link");
                },
                "outside-link", "points outside the model"},
        LinkRow{"NewlineInTheLinkName",
                [](const Env& e) {
                  write_file(e.path("outside.bin"), "outside");
                  fs::create_symlink(e.path("outside.bin"), e.model() / "evil\nlink");
                },
                "evil\\x0alink", "points outside the model"}),
    [](const ::testing::TestParamInfo<LinkRow>& info) { return info.param.name; });

// Rows that need another user: root reads whatever the mode says, so as
// root the CLI runs as `nobody` through setpriv, with everything but the
// unreadable part (and the CLI itself: the build tree may sit under a
// directory nobody cannot enter) usable by nobody.
CommandResult sign_as_unprivileged(const TempDir& dir, const fs::path& model) {
  generate_ec_key("P-256", dir / "key.pem", dir / "key.pub");
  std::string program = cli_path().string();
  std::vector<std::string> args = {"sign", "key", model.string(), "--private-key", (dir / "key.pem").string(),
                                   "--signature", (dir / "out.sig").string()};
  if (::geteuid() == 0) {
    EXPECT_TRUE(fs::exists("/usr/bin/setpriv")) << "running as root needs setpriv (util-linux) for this row";
    fs::copy_file(cli_path(), dir / "model_signing");
    fs::permissions(dir.path(), fs::perms::all);
    fs::permissions(model, fs::perms::owner_all | fs::perms::group_read | fs::perms::group_exec |
                               fs::perms::others_read | fs::perms::others_exec);
    fs::permissions(dir / "key.pem", fs::perms::owner_read | fs::perms::group_read | fs::perms::others_read);
    args.insert(args.begin(), {"--reuid=65534", "--regid=65534", "--clear-groups", (dir / "model_signing").string()});
    program = "/usr/bin/setpriv";
  }
  return run_command(program, args, "", {}, kTimeout);
}

TEST(HostileInputUnprivileged, UnreadableFileFailsSigningWithOneLine) {
  TempDir dir;
  write_file(dir / "model/readable.bin", "fine");
  write_file(dir / "model/secret.bin", "no access");
  fs::permissions(dir / "model/secret.bin", fs::perms::none);
  EXPECT_TRUE(one_line_failure(sign_as_unprivileged(dir, dir / "model"), 1, "secret.bin: Permission denied"));
  EXPECT_FALSE(fs::exists(dir / "out.sig"));
}

TEST(HostileInputUnprivileged, UnlistableDirectoryFailsSigningWithOneLine) {
  TempDir dir;
  write_file(dir / "model/readable.bin", "fine");
  write_file(dir / "model/private/inside.bin", "no access");
  fs::permissions(dir / "model/private", fs::perms::none);
  EXPECT_TRUE(one_line_failure(sign_as_unprivileged(dir, dir / "model"), 1, "private: Permission denied"));
  EXPECT_FALSE(fs::exists(dir / "out.sig"));
}

}  // namespace
}  // namespace model_signing::testing
