#include "signing/pkcs11/module_locator.h"

#include <algorithm>
#include <cctype>

#include "model_signing/error.h"

namespace model_signing::pkcs11 {

namespace fs = std::filesystem;

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool module_file_matches(const std::string& file_name, const std::string& wanted) {
  std::string name = lower(file_name);
  std::string stem = name.substr(0, name.find('.'));
  return name == wanted || stem == wanted || stem == "lib" + wanted;
}

std::string join(const std::vector<fs::path>& dirs) {
  std::string text;
  for (const auto& dir : dirs) text += (text.empty() ? "" : ", ") + dir.string();
  return text;
}

}  // namespace

std::vector<fs::path> default_module_directories() {
  std::vector<fs::path> dirs;
  auto add = [&](const fs::path& dir) {
    if (std::find(dirs.begin(), dirs.end(), dir) == dirs.end()) dirs.push_back(dir);
  };
  add(MS_P11_MODULE_PATH);
  add(fs::path(MS_P11_LIBDIR) / "pkcs11");
  add(fs::path(MS_P11_LIBDIR) / "softhsm");
  add("/usr/lib/softhsm");
  add("/usr/lib64/pkcs11");
  add("/usr/lib/pkcs11");
  return dirs;
}

fs::path locate_module(const Pkcs11Uri& uri, const std::vector<fs::path>& directories) {
  std::vector<fs::path> search = directories;
  if (uri.module_path) {
    fs::path path(*uri.module_path);
    if (!path.is_absolute()) {
      throw Error(ErrorKind::kInvalidArgument,
                  "PKCS#11 module-path '" + *uri.module_path + "' must be an absolute path");
    }
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (fs::is_regular_file(status)) return path;
    if (!fs::is_directory(status)) {
      throw Error(ErrorKind::kToken, "PKCS#11 module not found: " + path.string());
    }
    if (!uri.module_name) {
      throw Error(ErrorKind::kInvalidArgument, "PKCS#11 module-path " + path.string() +
                                                   " is a directory: add module-name=NAME");
    }
    search = {path};
  } else if (!uri.module_name) {
    throw Error(ErrorKind::kInvalidArgument,
                "the PKCS#11 URI names no module: add module-path=/path/to/module.so or "
                "module-name=NAME");
  }

  std::string wanted = lower(*uri.module_name);
  for (const auto& dir : search) {
    std::error_code ec;
    std::vector<fs::path> candidates;
    for (fs::directory_iterator it(dir, ec), end; !ec && it != end; it.increment(ec)) {
      if (module_file_matches(it->path().filename().string(), wanted) &&
          fs::is_regular_file(it->path(), ec)) {
        candidates.push_back(it->path());
      }
    }
    // Directory order is arbitrary; pick deterministically.
    if (!candidates.empty()) return *std::min_element(candidates.begin(), candidates.end());
  }
  throw Error(ErrorKind::kToken, "PKCS#11 module '" + *uri.module_name + "' not found in " +
                                     (search.empty() ? std::string("no directory") : join(search)));
}

}  // namespace model_signing::pkcs11
