// Past the signature: the input is an in-toto statement, signed here with
// the fuzz key, and the whole verification flow runs on a small model —
// the statement and manifest checks, the walk the statement asks for
// (serialization, shard size, ignore paths, symlinks), hashing and the
// comparison. What a valid signer's hostile payload reaches.
#include "fuzz_support.h"
#include "fuzz_target.h"
#include "model_signing/bundle.h"
#include "model_signing/verifying.h"

namespace model_signing::fuzz {

MS_FUZZ_TARGET(signed_statement) {
  Bundle bundle = parse_bundle(sign_with_fuzz_key(std::string(input)));
  // The flags a verifier may add: chosen by the input's length.
  VerifyingConfig config;
  config.use_key_verifier(fuzz_public_key()).set_max_workers(1);
  config.set_ignore_unsigned_files(input.size() % 2 == 1);
  config.set_allow_symlinks(input.size() % 4 >= 2);
  const std::filesystem::path model = input.size() % 8 >= 4 ? fuzz_model() / "a.bin" : fuzz_model();
  run([&] { config.verify_bundle(model, bundle); });
}

}  // namespace model_signing::fuzz
