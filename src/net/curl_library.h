// CurlLibrary: the libcurl functions brock uses, loaded with dlopen on first use. Commands that
// never touch the network (--version, --help, a settings error) then start without loading
// libcurl and the ~25 libraries it depends on, which otherwise dominate start-up time.
#pragma once

#include <curl/curl.h>

#include <string>

namespace brock {

struct CurlLibrary {
  CURLcode (*global_init)(long flags);
  CURL* (*easy_init)();
  CURLcode (*easy_setopt)(CURL* handle, CURLoption option, ...);
  CURLcode (*easy_getinfo)(CURL* handle, CURLINFO info, ...);
  void (*easy_reset)(CURL* handle);
  void (*easy_cleanup)(CURL* handle);
  const char* (*easy_strerror)(CURLcode code);
  void (*free)(void* p);
  CURLM* (*multi_init)();
  CURLMcode (*multi_add_handle)(CURLM* multi, CURL* easy);
  CURLMcode (*multi_remove_handle)(CURLM* multi, CURL* easy);
  CURLMcode (*multi_perform)(CURLM* multi, int* running);
  CURLMcode (*multi_poll)(CURLM* multi, struct curl_waitfd extra[], unsigned int extra_nfds,
                          int timeout_ms, int* ret);
  CURLMsg* (*multi_info_read)(CURLM* multi, int* msgs_in_queue);
  CURLMcode (*multi_cleanup)(CURLM* multi);
  const char* (*multi_strerror)(CURLMcode code);
  struct curl_slist* (*slist_append)(struct curl_slist* list, const char* s);
  void (*slist_free_all)(struct curl_slist* list);
  CURLU* (*url)();
  void (*url_cleanup)(CURLU* handle);
  CURLUcode (*url_get)(const CURLU* handle, CURLUPart what, char** part, unsigned int flags);
  CURLUcode (*url_set)(CURLU* handle, CURLUPart what, const char* part, unsigned int flags);
};

// Loads libcurl (once, thread-safe) and runs curl_global_init. Returns nullptr when it cannot
// be loaded, with the reason in *error.
const CurlLibrary* LoadCurlLibrary(std::string* error);

}  // namespace brock
