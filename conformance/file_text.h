// Whole-file reads and writes for the conformance commands.
#pragma once

#include <string>

namespace model_signing::conformance {

// Throw Error(kIo) naming the path.
std::string read_text(const std::string& path);
void write_text(const std::string& path, const std::string& text);

}  // namespace model_signing::conformance
