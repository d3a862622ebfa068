#include "net/curl_library.h"

#include <dlfcn.h>

#include <mutex>

namespace brock {

namespace {

template <class F>
bool Bind(void* lib, const char* name, F* out, std::string* missing) {
  *out = reinterpret_cast<F>(dlsym(lib, name));
  if (!*out) *missing = name;
  return *out != nullptr;
}

}  // namespace

const CurlLibrary* LoadCurlLibrary(std::string* error) {
  static CurlLibrary lib;
  static const CurlLibrary* loaded = nullptr;
  static std::string load_error;
  static std::once_flag once;
  std::call_once(once, [] {
    void* h = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      const char* why = dlerror();
      load_error = std::string("cannot load libcurl.so.4: ") + (why ? why : "unknown error");
      return;
    }
    std::string missing;
    bool ok = Bind(h, "curl_global_init", &lib.global_init, &missing) &&
              Bind(h, "curl_easy_init", &lib.easy_init, &missing) &&
              Bind(h, "curl_easy_setopt", &lib.easy_setopt, &missing) &&
              Bind(h, "curl_easy_getinfo", &lib.easy_getinfo, &missing) &&
              Bind(h, "curl_easy_reset", &lib.easy_reset, &missing) &&
              Bind(h, "curl_easy_cleanup", &lib.easy_cleanup, &missing) &&
              Bind(h, "curl_easy_strerror", &lib.easy_strerror, &missing) &&
              Bind(h, "curl_free", &lib.free, &missing) &&
              Bind(h, "curl_multi_init", &lib.multi_init, &missing) &&
              Bind(h, "curl_multi_add_handle", &lib.multi_add_handle, &missing) &&
              Bind(h, "curl_multi_remove_handle", &lib.multi_remove_handle, &missing) &&
              Bind(h, "curl_multi_perform", &lib.multi_perform, &missing) &&
              Bind(h, "curl_multi_poll", &lib.multi_poll, &missing) &&
              Bind(h, "curl_multi_info_read", &lib.multi_info_read, &missing) &&
              Bind(h, "curl_multi_cleanup", &lib.multi_cleanup, &missing) &&
              Bind(h, "curl_multi_strerror", &lib.multi_strerror, &missing) &&
              Bind(h, "curl_slist_append", &lib.slist_append, &missing) &&
              Bind(h, "curl_slist_free_all", &lib.slist_free_all, &missing) &&
              Bind(h, "curl_url", &lib.url, &missing) &&
              Bind(h, "curl_url_cleanup", &lib.url_cleanup, &missing) &&
              Bind(h, "curl_url_get", &lib.url_get, &missing) &&
              Bind(h, "curl_url_set", &lib.url_set, &missing);
    if (!ok) {
      load_error = "libcurl.so.4 lacks " + missing + " (libcurl 7.80 or newer is needed)";
      return;
    }
    lib.global_init(CURL_GLOBAL_DEFAULT);
    loaded = &lib;
  });
  if (!loaded && error) *error = load_error;
  return loaded;
}

}  // namespace brock
