#include "util/shared_library.h"

#include <dlfcn.h>

#include <cstdlib>

#include "model_signing/error.h"

namespace model_signing::util {

SharedLibrary::SharedLibrary(const LibraryInfo& info, const std::string& feature)
    : info_(info), feature_(feature) {
  std::string file = info.soname;
  if (const char* dir = std::getenv("MS_TEST_LIBRARY_DIR"); dir && *dir) {
    file = std::string(dir) + "/" + info.soname;
  }
  // RTLD_LOCAL: its symbols serve only the table that asked for them.
  handle_ = dlopen(file.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!handle_) {
    std::string reason = dlerror();
    std::string needs = feature_ + " needs " + info.name + " (" + info.soname + ")";
    // Present but unloadable (a broken dependency of it) is another story.
    if (reason.find("No such file") == std::string::npos) {
      throw Error(ErrorKind::kUnsupported, needs + ", which cannot be loaded: " + reason);
    }
    throw Error(ErrorKind::kUnsupported,
                needs + ", which is not installed: apt install " + info.package);
  }
}

void* SharedLibrary::address(const char* symbol) const {
  dlerror();
  void* found = dlsym(handle_, symbol);
  if (!found) {
    throw Error(ErrorKind::kUnsupported, feature_ + " needs " + info_.name + " (" +
                                             info_.soname + ") with " + symbol +
                                             ", which the installed one lacks: upgrade " +
                                             info_.package);
  }
  return found;
}

}  // namespace model_signing::util
