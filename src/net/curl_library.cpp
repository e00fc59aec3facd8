#include "net/curl_library.h"

#include <memory>
#include <mutex>

#include "util/shared_library.h"

namespace model_signing::net {

namespace {

constexpr util::LibraryInfo kLibcurl{"libcurl", "libcurl.so.4", "libcurl4"};

std::unique_ptr<CurlLibrary> load(const std::string& feature) {
  util::SharedLibrary lib(kLibcurl, feature);
  auto curl = std::make_unique<CurlLibrary>();
  curl->global_init = lib.function<decltype(curl->global_init)>("curl_global_init");
  curl->easy_init = lib.function<decltype(curl->easy_init)>("curl_easy_init");
  curl->easy_setopt = lib.function<decltype(curl->easy_setopt)>("curl_easy_setopt");
  curl->easy_perform = lib.function<decltype(curl->easy_perform)>("curl_easy_perform");
  curl->easy_getinfo = lib.function<decltype(curl->easy_getinfo)>("curl_easy_getinfo");
  curl->easy_cleanup = lib.function<decltype(curl->easy_cleanup)>("curl_easy_cleanup");
  curl->easy_strerror = lib.function<decltype(curl->easy_strerror)>("curl_easy_strerror");
  curl->slist_append = lib.function<decltype(curl->slist_append)>("curl_slist_append");
  curl->slist_free_all = lib.function<decltype(curl->slist_free_all)>("curl_slist_free_all");
  curl->global_init(CURL_GLOBAL_DEFAULT);
  return curl;
}

}  // namespace

const CurlLibrary& curl_library(const std::string& feature) {
  static std::mutex mutex;
  static std::unique_ptr<CurlLibrary> loaded;
  std::lock_guard lock(mutex);
  if (!loaded) loaded = load(feature);
  return *loaded;
}

}  // namespace model_signing::net
