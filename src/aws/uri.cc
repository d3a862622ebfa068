#include "aws/uri.h"

#include <charconv>

#include "base/strings.h"

namespace brock {
namespace {

// 1 for the RFC 3986 unreserved characters.
constexpr bool IsUnreserved(unsigned char c) {
  return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-' ||
         c == '.' || c == '_' || c == '~';
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

}  // namespace

void AppendUriEncoded(std::string& out, std::string_view s, bool encode_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  for (unsigned char c : s) {
    if (IsUnreserved(c) || (c == '/' && !encode_slash)) {
      out.push_back(static_cast<char>(c));
    } else {
      char buf[3] = {'%', kHex[c >> 4], kHex[c & 15]};
      out.append(buf, 3);
    }
  }
}

std::string UriEncode(std::string_view s, bool encode_slash) {
  std::string out;
  out.reserve(s.size() + s.size() / 2);
  AppendUriEncoded(out, s, encode_slash);
  return out;
}

std::string UriDecode(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      int hi = HexValue(s[i + 1]), lo = HexValue(s[i + 2]);
      if (hi >= 0 && lo >= 0) {
        out.push_back(static_cast<char>(hi * 16 + lo));
        i += 2;
        continue;
      }
    }
    out.push_back(s[i]);
  }
  return out;
}

int Url::EffectivePort() const {
  if (port != 0) return port;
  return scheme == "https" ? 443 : 80;
}

std::string Url::HostHeader() const {
  bool default_port =
      port == 0 || (scheme == "https" && port == 443) || (scheme == "http" && port == 80);
  if (default_port) return host;
  return host + ":" + std::to_string(port);
}

std::string Url::Origin() const { return scheme + "://" + HostHeader(); }

Result<Url> ParseUrl(std::string_view text) {
  auto bad = [&](std::string_view why) {
    return MakeError("url.invalid",
                     "invalid URL \"" + std::string(text) + "\": " + std::string(why),
                     "use an absolute URL such as https://host.example.com[:port][/path]");
  };
  Url url;
  size_t colon = text.find("://");
  if (colon == std::string_view::npos || colon == 0) return bad("missing scheme://");
  url.scheme = ToLower(text.substr(0, colon));
  for (char c : url.scheme) {
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.')) {
      return bad("invalid scheme");
    }
  }
  std::string_view rest = text.substr(colon + 3);
  size_t auth_end = rest.find_first_of("/?#");
  std::string_view authority = rest.substr(0, auth_end);
  rest = auth_end == std::string_view::npos ? std::string_view() : rest.substr(auth_end);
  if (authority.find('@') != std::string_view::npos)
    return bad("user information is not supported");
  std::string_view host = authority, port_text;
  if (!authority.empty() && authority[0] == '[') {
    size_t close = authority.find(']');
    if (close == std::string_view::npos) return bad("unterminated IPv6 address");
    host = authority.substr(0, close + 1);
    std::string_view after = authority.substr(close + 1);
    if (!after.empty()) {
      if (after[0] != ':') return bad("unexpected text after IPv6 address");
      port_text = after.substr(1);
    }
  } else if (size_t c = authority.rfind(':'); c != std::string_view::npos) {
    host = authority.substr(0, c);
    port_text = authority.substr(c + 1);
  }
  if (host.empty()) return bad("missing host");
  url.host = ToLower(host);
  if (!port_text.empty()) {
    int port = 0;
    auto [p, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
    if (ec != std::errc() || p != port_text.data() + port_text.size() || port <= 0 ||
        port > 65535) {
      return bad("invalid port \"" + std::string(port_text) + "\"");
    }
    url.port = port;
  }
  if (size_t hash = rest.find('#'); hash != std::string_view::npos) rest = rest.substr(0, hash);
  size_t q = rest.find('?');
  if (q != std::string_view::npos) {
    url.query = std::string(rest.substr(q + 1));
    rest = rest.substr(0, q);
  }
  url.path = rest.empty() ? "/" : std::string(rest);
  return url;
}

}  // namespace brock
