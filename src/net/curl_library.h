// The libcurl functions HttpClient uses, loaded on first use
// (util/shared_library.h): only commands that talk to a service load
// libcurl and everything it pulls in (TLS, Kerberos, LDAP, SSH, ...).
#pragma once

#include <curl/curl.h>

#include <string>

namespace model_signing::net {

struct CurlLibrary {
  decltype(&::curl_global_init) global_init;
  decltype(&::curl_easy_init) easy_init;
  decltype(&::curl_easy_setopt) easy_setopt;
  decltype(&::curl_easy_perform) easy_perform;
  decltype(&::curl_easy_getinfo) easy_getinfo;
  decltype(&::curl_easy_cleanup) easy_cleanup;
  decltype(&::curl_easy_strerror) easy_strerror;
  decltype(&::curl_slist_append) slist_append;
  decltype(&::curl_slist_free_all) slist_free_all;
};

// libcurl, loaded and initialised (curl_global_init) on the first call.
// Throws Error(kUnsupported) "<feature> needs libcurl (libcurl.so.4), which
// is not installed: apt install libcurl4" when it cannot be loaded; a later
// call tries again.
const CurlLibrary& curl_library(const std::string& feature);

}  // namespace model_signing::net
