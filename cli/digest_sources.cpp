#include "digest_sources.h"

#include "log_output.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>

#include "model_signing/error.h"
#include "model_signing/sigstore.h"

namespace model_signing::cli {

namespace {

constexpr const char* kReuseGroup = "Incremental re-signing (reuse the digests of unchanged files)";
constexpr const char* kPrecomputedGroup = "Signing precomputed digests (the model's files are not read)";
constexpr const char* kVerifyGroup = "Checking part of a model, or a manifest";
// Digest lists and OCI manifests are read whole; anything larger is a mistake.
constexpr std::size_t kMaxTextSize = std::size_t{1} << 30;

bool is_key_method(const std::string& method) { return method == "key" || method == "pkcs11-key"; }
bool is_certificate_method(const std::string& method) {
  return method == "certificate" || method == "pkcs11-certificate";
}

// A whole text file, or stdin for "-". Pipes are fine (`<(git diff ...)`).
std::string read_text(const std::string& path, const char* what) {
  const std::string name = path == "-" ? "standard input" : path;
  auto fail = [&](const std::string& why) {
    return Error(ErrorKind::kIo, std::string("cannot read ") + what + " " + name + ": " + why);
  };
  int fd = path == "-" ? STDIN_FILENO : ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw fail(std::strerror(errno));
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    if (fd != STDIN_FILENO) ::close(fd);
    throw fail("is a directory");
  }
  std::string text;
  char buffer[1 << 16];
  while (true) {
    ssize_t n = ::read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int err = errno;
      if (fd != STDIN_FILENO) ::close(fd);
      throw fail(std::strerror(err));
    }
    if (n == 0) break;
    text.append(buffer, static_cast<std::size_t>(n));
    if (text.size() > kMaxTextSize) {
      if (fd != STDIN_FILENO) ::close(fd);
      throw fail("larger than 1 GiB");
    }
  }
  if (fd != STDIN_FILENO) ::close(fd);
  return text;
}

// The lines of a --changed-from file: one path each, blank lines skipped.
std::vector<std::string> path_lines(const std::string& text) {
  std::vector<std::string> lines;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find('\n', start);
    if (end == std::string::npos) end = text.size();
    std::string line = text.substr(start, end - start);
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (!line.empty()) lines.push_back(std::move(line));
    start = end + 1;
  }
  return lines;
}

std::string files(std::uint64_t count) {
  return std::to_string(count) + (count == 1 ? " file" : " files");
}

// The value given for an option, or "" (read during parsing, before the
// options' variables are guaranteed to be set).
std::string given(CLI::App* cmd, const char* name) {
  CLI::Option* option = cmd->get_option_no_throw(name);
  if (!option || option->count() == 0 || option->results().empty()) return "";
  return option->results().back();
}

// --from-digests and --oci-manifest sign whole-file digests of one hash.
void check_precomputed_flags(CLI::App* cmd, CLI::Option* from_digests, CLI::Option* oci_manifest) {
  CLI::Option* source = from_digests->count() ? from_digests : oci_manifest;
  if (source->count() == 0) return;
  if (given(cmd, "--serialization") == "shards") {
    throw CLI::ValidationError(source->get_name(), "signs whole-file digests: --serialization must be files");
  }
  std::string hash = given(cmd, "--hash");
  if (source == oci_manifest && !hash.empty() && hash != "sha256") {
    throw CLI::ValidationError(source->get_name(), "OCI layer digests are sha256: --hash must be sha256");
  }
}

std::pair<CLI::Option*, CLI::Option*> add_precomputed_options(CLI::App* cmd, std::string& from_digests,
                                                              std::string& oci_manifest, const char* verb) {
  CLI::Option* from = cmd->add_option("--from-digests", from_digests,
                                      std::string(verb) +
                                          " the digests FILE lists, as sha256sum, b2sum or b3sum print "
                                          "them ('-': standard input), in the --hash they use; MODEL_PATH "
                                          "only names the model (run the tool inside the model directory)")
                          ->type_name("FILE")
                          ->group(kPrecomputedGroup);
  CLI::Option* oci = cmd->add_option("--oci-manifest", oci_manifest,
                                     std::string(verb) +
                                         " the layers of an OCI image manifest (skopeo inspect --raw, "
                                         "oras manifest fetch) as the model's files, each named by its "
                                         "org.opencontainers.image.title; MODEL_PATH only names the model")
                         ->type_name("MANIFEST")
                         ->group(kPrecomputedGroup)
                         ->excludes(from);
  return {from, oci};
}

std::shared_ptr<Verifier> make_reuse_verifier(const SignSourceOptions& sources) {
  if (is_key_method(sources.method)) {
    if (sources.reuse_public_key.empty()) return nullptr;  // the signing key's own public key
    return make_key_verifier(sources.reuse_public_key);
  }
  if (is_certificate_method(sources.method)) {
    CertificateVerifierOptions options;
    options.trust_anchors.assign(sources.reuse_certificate_chain.begin(),
                                 sources.reuse_certificate_chain.end());
    return make_certificate_verifier(options);
  }
  // Sigstore: checked against the instance this command signs with.
  SigstoreVerifierOptions options;
  options.identity = sources.reuse_identity;
  options.identity_provider = sources.reuse_identity_provider;
  CLI::Option* staging = sources.command->get_option_no_throw("--use-staging");
  options.use_staging = staging && staging->count() > 0;
  std::string trust_config = given(sources.command, "--trust-config");
  if (!trust_config.empty()) options.trust_config = trust_config;
  return make_sigstore_verifier(options);
}

void add_reuse_verifier_options(CLI::App* cmd, SignSourceOptions& options, CLI::Option* reuse) {
  if (is_key_method(options.method)) {
    cmd->add_option("--reuse-public-key", options.reuse_public_key,
                    "Public key OLD_SIGNATURE must verify with (default: the signing key's own)")
        ->type_name("PUBLIC_KEY")
        ->group(kReuseGroup)
        ->needs(reuse);
  } else if (is_certificate_method(options.method)) {
    repeatable(cmd->add_option("--reuse-certificate-chain", options.reuse_certificate_chain,
                               "Trust anchors OLD_SIGNATURE's certificate must chain to, as `verify "
                               "certificate --certificate-chain` (repeatable; default: system store)"))
        ->type_name("CERTIFICATE_PATH")
        ->group(kReuseGroup)
        ->needs(reuse);
  } else {
    cmd->add_option("--reuse-identity", options.reuse_identity,
                    "Identity OLD_SIGNATURE must be signed by, as `verify sigstore --identity` "
                    "(required with --reuse-digests; checked on this command's Sigstore instance)")
        ->type_name("IDENTITY")
        ->group(kReuseGroup)
        ->needs(reuse);
    cmd->add_option("--reuse-identity-provider", options.reuse_identity_provider,
                    "OIDC issuer of that identity, as `verify sigstore --identity-provider` "
                    "(required with --reuse-digests)")
        ->type_name("URL")
        ->group(kReuseGroup)
        ->needs(reuse);
  }
}

}  // namespace

void add_sign_source_options(CLI::App* cmd, const char* method, SignSourceOptions& options) {
  options.method = method;
  options.command = cmd;
  CLI::Option* reuse =
      cmd->add_option("--reuse-digests", options.reuse_digests,
                      "Take the digests of unchanged files from OLD_SIGNATURE, an earlier signature of "
                      "this model (verified first; same --serialization, --hash and --shard-size). "
                      "Unchanged: the size and modification time its stat record holds, unless "
                      "--changed/--changed-from name what changed")
          ->type_name("OLD_SIGNATURE")
          ->group(kReuseGroup);
  repeatable(cmd->add_option("--changed", options.changed,
                             "A file or directory changed since OLD_SIGNATURE (repeatable; resolved like "
                             "--ignore-paths): only these and new files are hashed"))
      ->type_name("PATH")
      ->group(kReuseGroup)
      ->needs(reuse);
  cmd->add_option("--changed-from", options.changed_from,
                  "Read --changed paths from FILE, one a line ('-': standard input), such as the "
                  "output of `git diff --name-only OLD_COMMIT` run from the model's directory")
      ->type_name("FILE")
      ->group(kReuseGroup)
      ->needs(reuse);
  add_reuse_verifier_options(cmd, options, reuse);
  CLI::Option* record = cmd->add_flag("--write-stat-record", options.write_stat_record,
                                      "Also write SIGNATURE_PATH.stat.json (each signed file's size and "
                                      "modification time) for a later --reuse-digests; written anyway "
                                      "with --reuse-digests")
                            ->group(kReuseGroup);
  auto [from, oci] = add_precomputed_options(cmd, options.from_digests, options.oci_manifest, "Sign");
  from->excludes(reuse)->excludes(record);
  oci->excludes(reuse)->excludes(record);
  const bool sigstore = !is_key_method(options.method) && !is_certificate_method(options.method);
  cmd->parse_complete_callback([cmd, reuse, from = from, oci = oci, sigstore] {
    check_precomputed_flags(cmd, from, oci);
    if (sigstore && reuse->count() &&
        (given(cmd, "--reuse-identity").empty() || given(cmd, "--reuse-identity-provider").empty())) {
      throw CLI::ValidationError(reuse->get_name(),
                                 "name the old signature's signer with --reuse-identity and "
                                 "--reuse-identity-provider");
    }
  });
}

SignReport sign_from_sources(const SignSourceOptions& sources, SigningConfig& config,
                             const ModelOptions& model) {
  SignReport report;
  if (!sources.from_digests.empty() || !sources.oci_manifest.empty()) {
    Manifest manifest;
    if (!sources.from_digests.empty()) {
      manifest = manifest_from_digest_list(model.model_path, read_text(sources.from_digests, "digest list"),
                                           config.hashing_config());
    } else {
      manifest = manifest_from_oci_manifest(model.model_path, read_text(sources.oci_manifest, "OCI manifest"),
                                            config.hashing_config());
    }
    report.bundle = config.sign_manifest(manifest, model.signature);
    report.manifest = manifest;
    report.warnings.push_back("signed the " + std::to_string(manifest.items().size()) + " digests " +
                              (sources.from_digests.empty() ? "of the OCI manifest's layers" : "the list gave") +
                              " as they are: the bytes of the files were not read");
    return report;
  }
  if (!sources.reuse_digests.empty()) {
    ReuseDigests reuse;
    reuse.old_signature = sources.reuse_digests;
    reuse.verifier = make_reuse_verifier(sources);
    std::vector<std::string> changed = sources.changed;
    if (!sources.changed_from.empty()) {
      for (auto& line : path_lines(read_text(sources.changed_from, "list of changed files"))) {
        changed.push_back(std::move(line));
      }
    }
    if (!changed.empty() || !sources.changed_from.empty()) reuse.changed = absolute_paths(changed);
    config.reuse_digests(std::move(reuse));
  }
  config.set_write_stat_record(sources.write_stat_record);
  SigningResult result = config.sign_with_details(model.model_path, model.signature);
  if (!sources.reuse_digests.empty()) {
    const DigestCounts& counts = result.counts;
    report.lines.push_back("Reused the digests of " + files(counts.files_reused) + " (" +
                           std::to_string(counts.bytes_reused) + " bytes) from " + sources.reuse_digests +
                           "; hashed " + files(counts.files_hashed) + " (" +
                           std::to_string(counts.bytes_hashed) + " bytes)");
  }
  report.warnings = std::move(result.warnings);
  report.manifest = std::move(result.manifest);
  report.bundle = std::move(result.bundle);
  report.hashing = result.hashing;
  return report;
}

void print_sign_report(const SignReport& report, bool text) {
  for (const auto& line : report.warnings) warn(line);
  if (!text) return;
  for (const auto& line : report.lines) std::printf("%s\n", line.c_str());
}

void add_verify_source_options(CLI::App* cmd, VerifySourceOptions& options) {
  CLI::Option* model_path = cmd->get_option("MODEL_PATH");
  model_path->required(false);
  CLI::Option* oci = cmd->add_option("--oci-manifest", options.oci_manifest,
                                     "Verify the signature against the layers of this OCI image manifest "
                                     "instead of a model's files (no MODEL_PATH; nothing is read but the "
                                     "manifest; the Python tool cannot do this, it verifies the "
                                     "extracted files)")
                         ->type_name("MANIFEST")
                         ->group(kVerifyGroup)
                         ->excludes(model_path);
  repeatable(cmd->add_option("--only", options.only,
                             "Check only this signed file, or the signed files under this directory "
                             "(repeatable; resolved like --ignore-paths). The signature is verified in "
                             "full; other files are not read (not in the Python tool)"))
      ->type_name("PATH")
      ->group(kVerifyGroup)
      ->excludes(oci);
  cmd->parse_complete_callback([model_path, oci] {
    if (model_path->count() == 0 && oci->count() == 0) throw CLI::RequiredError("MODEL_PATH");
  });
}

VerificationResult verify_from_sources(const VerifySourceOptions& sources, VerifyingConfig& config,
                                       const ModelOptions& model) {
  if (!sources.oci_manifest.empty()) {
    // Every layer: the signature's recorded ignore paths decide what counts.
    HashingConfig all_layers;
    all_layers.ignore_git_paths = false;
    Manifest local = manifest_from_oci_manifest(sources.oci_manifest,
                                                read_text(sources.oci_manifest, "OCI manifest"), all_layers);
    return config.verify_manifest(local, model.signature);
  }
  if (!sources.only.empty()) config.set_only_files(absolute_paths(sources.only));
  return config.verify(model.model_path, model.signature);
}

std::string verify_success_line(const VerifySourceOptions& sources, const VerificationResult& result) {
  if (!sources.oci_manifest.empty()) {
    return "Verification succeeded: the " + files(result.files_checked) + " signed are the layers of " +
           sources.oci_manifest + " (no file was read)";
  }
  if (result.files_checked < result.files_signed) {
    return "Verification succeeded: only " + std::to_string(result.files_checked) + " of " +
           files(result.files_signed) + " signed were checked (--only); the other " +
           std::to_string(result.files_signed - result.files_checked) + " were not read";
  }
  return "Verification succeeded";
}

void add_digest_source_options(CLI::App* cmd, DigestSourceOptions& options) {
  auto [from, oci] = add_precomputed_options(cmd, options.from_digests, options.oci_manifest, "Digest");
  cmd->parse_complete_callback([cmd, from = from, oci = oci] { check_precomputed_flags(cmd, from, oci); });
}

Manifest digest_from_sources(const DigestSourceOptions& sources, const ModelOptions& model,
                             const HashingConfig& config) {
  if (!sources.from_digests.empty()) {
    return manifest_from_digest_list(model.model_path, read_text(sources.from_digests, "digest list"), config);
  }
  if (!sources.oci_manifest.empty()) {
    return manifest_from_oci_manifest(model.model_path, read_text(sources.oci_manifest, "OCI manifest"), config);
  }
  return hash_model(model.model_path, config);
}

}  // namespace model_signing::cli
