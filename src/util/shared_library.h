// A system library opened on first use (dlopen) instead of linked: libcurl
// and p11-kit serve only Sigstore signing and PKCS#11, so a process that
// verifies with a key never loads them (they and what they pull in were most
// of the start-up time), and a machine without them still runs every other
// command. A command that needs a missing one fails with one line naming the
// library and the Debian package that provides it.
#pragma once

#include <string>

namespace model_signing::util {

struct LibraryInfo {
  const char* name;     // "libcurl"
  const char* soname;   // "libcurl.so.4": the ABI the code was compiled against
  const char* package;  // "libcurl4": the Debian package that installs it
};

class SharedLibrary {
 public:
  // dlopen()s info.soname. Throws Error(kUnsupported) "<feature> needs
  // <name> (<soname>), which is not installed: apt install <package>" if it
  // cannot be loaded; `feature` says what needed it ("Sigstore signing").
  // The library stays loaded for the rest of the process.
  //
  // Tests only: MS_TEST_LIBRARY_DIR=DIR loads DIR/<soname> instead, so a
  // test can point it at a directory that lacks the library.
  SharedLibrary(const LibraryInfo& info, const std::string& feature);

  // The address of `symbol`, cast to F. Throws Error(kUnsupported) naming the
  // library and the symbol if it is missing (a library older than the one
  // compiled against).
  template <typename F>
  F function(const char* symbol) const {
    return reinterpret_cast<F>(address(symbol));
  }

 private:
  void* address(const char* symbol) const;

  LibraryInfo info_;
  std::string feature_;
  void* handle_ = nullptr;
};

}  // namespace model_signing::util
