// URI helpers for AWS requests: RFC 3986 percent-encoding as SigV4 defines it, and a small
// absolute-URL parser.
//
// brock builds URLs already percent-encoded "as they go on the wire" (see net/http_client.h);
// these helpers never re-encode a URL behind the caller's back.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace brock {

// Percent-encodes every byte except the RFC 3986 unreserved characters (A-Z a-z 0-9 - . _ ~),
// using uppercase hex ("a b/c" -> "a%20b%2Fc"). When `encode_slash` is false, '/' is kept.
// Bytes >= 0x80 (UTF-8) are encoded one by one ("ሴ" -> "%E1%88%B4").
std::string UriEncode(std::string_view s, bool encode_slash);
// UriEncode, appending to `out` (no temporary string).
void AppendUriEncoded(std::string& out, std::string_view s, bool encode_slash);

// Decodes %XX escapes (either hex case). A '%' not followed by two hex digits is kept as is.
// '+' is NOT turned into a space (AWS query strings use %20).
std::string UriDecode(std::string_view s);

// An absolute URL split into its parts, with no decoding applied.
struct Url {
  std::string scheme;  // lowercase: "https", "http"
  std::string host;    // lowercase; an IPv6 literal keeps its brackets: "[::1]"
  int port = 0;        // the explicit port, or 0 when the URL has none
  std::string path;    // raw, starts with '/'; "/" when the URL has no path
  std::string query;   // raw text after '?', without it; "" when absent (fragment dropped)

  // The port used on the wire: `port`, else 443 for https, 80 for http.
  int EffectivePort() const;
  // The Host header value: "host" or "host:port" when the port is explicit and not the
  // scheme's default.
  std::string HostHeader() const;
  // "scheme://HostHeader()" (no path).
  std::string Origin() const;
};

// Parses "scheme://host[:port][/path][?query][#fragment]". Userinfo ("user@") is rejected.
// Errors have code "url.invalid" and name the offending text.
Result<Url> ParseUrl(std::string_view url);

}  // namespace brock
