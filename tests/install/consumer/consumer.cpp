// A program outside this project, built against an installed model_signing
// (tests/install/install_test.sh): signs a model with a key, verifies it,
// then changes one byte and checks that verification names the file.
//   consumer MODEL PRIVATE_KEY PUBLIC_KEY SIGNATURE
#include <model_signing/model_signing.h>

#include <cstdio>
#include <fstream>
#include <string>

int main(int argc, char** argv) {
  if (argc != 5) {
    std::fprintf(stderr, "usage: consumer MODEL PRIVATE_KEY PUBLIC_KEY SIGNATURE\n");
    return 2;
  }
  const std::string model = argv[1], private_key = argv[2], public_key = argv[3], signature = argv[4];
  try {
    model_signing::SigningConfig().use_key_signer(private_key).sign(model, signature);
    model_signing::VerifyingConfig().use_key_verifier(public_key).verify(model, signature);
    std::ofstream(model + "/weights.bin", std::ios::binary | std::ios::in | std::ios::out) << 'X';
    try {
      model_signing::VerifyingConfig().use_key_verifier(public_key).verify(model, signature);
      std::fprintf(stderr, "consumer: the changed model verified\n");
      return 1;
    } catch (const model_signing::ModelMismatchError& e) {
      if (e.mismatched().empty() || e.mismatched().front().name != "weights.bin") {
        std::fprintf(stderr, "consumer: unexpected mismatch: %s\n", e.what());
        return 1;
      }
    }
  } catch (const model_signing::Error& e) {
    std::fprintf(stderr, "consumer: %s\n", e.what());
    return 1;
  }
  std::printf("consumer: signed, verified, changed copy rejected (model_signing %s)\n",
              model_signing::kVersion);
  return 0;
}
