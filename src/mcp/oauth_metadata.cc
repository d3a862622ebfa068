#include "mcp/oauth_metadata.h"

#include <nlohmann/json.hpp>

#include "base/error_codes.h"
#include "base/json.h"
#include "base/strings.h"

namespace brock {

namespace {

bool IsTokenChar(char c) {
  return std::isalnum(static_cast<unsigned char>(c)) ||
         std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

std::vector<std::string> StringList(const Json& doc, const char* key) {
  std::vector<std::string> out;
  auto it = doc.find(key);
  if (it == doc.end() || !it->is_array()) return out;
  for (const auto& v : *it) {
    if (v.is_string()) out.push_back(v.get<std::string>());
  }
  return out;
}

std::string StringField(const Json& doc, const char* key) {
  auto it = doc.find(key);
  return it != doc.end() && it->is_string() ? it->get<std::string>() : "";
}

Error MetadataError(std::string_view url, const std::string& what) {
  return MakeError(errc::kMcpOAuth, "the OAuth metadata at " + std::string(url) + " " + what,
                   "the server's OAuth setup is incomplete; ask its operator, or pass a token with "
                   "-H \"Authorization: Bearer ...\" instead");
}

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string PercentDecode(std::string_view s) {
  std::string out;
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '+') {
      out += ' ';
    } else if (s[i] == '%' && i + 2 < s.size() && HexValue(s[i + 1]) >= 0 &&
               HexValue(s[i + 2]) >= 0) {
      out += static_cast<char>(HexValue(s[i + 1]) * 16 + HexValue(s[i + 2]));
      i += 2;
    } else {
      out += s[i];
    }
  }
  return out;
}

}  // namespace

BearerChallenge ParseBearerChallenge(std::string_view header) {
  BearerChallenge out;
  size_t i = 0;
  const size_t n = header.size();
  auto skip_space = [&] {
    while (i < n && (header[i] == ' ' || header[i] == '\t')) ++i;
  };
  // Walks "scheme param=value, param=value, scheme2 ..." keeping the Bearer scheme's params.
  bool in_bearer = false;
  while (i < n) {
    skip_space();
    while (i < n && header[i] == ',') {
      ++i;
      skip_space();
    }
    size_t start = i;
    while (i < n && IsTokenChar(header[i])) ++i;
    std::string word(header.substr(start, i - start));
    if (word.empty()) {
      ++i;
      continue;
    }
    skip_space();
    if (i < n && header[i] == '=') {
      // An auth-param of the current scheme (token68 values end with '=' too: skip those).
      ++i;
      skip_space();
      std::string value;
      if (i < n && header[i] == '"') {
        ++i;
        while (i < n && header[i] != '"') {
          if (header[i] == '\\' && i + 1 < n) ++i;
          value += header[i++];
        }
        ++i;
      } else {
        size_t vs = i;
        while (i < n && header[i] != ',' && header[i] != ' ' && header[i] != '\t') ++i;
        value = std::string(header.substr(vs, i - vs));
      }
      if (!in_bearer) continue;
      std::string name = ToLower(word);
      if (name == "resource_metadata") out.resource_metadata = value;
      if (name == "scope") out.scope = value;
      if (name == "error") out.error = value;
    } else {
      // A new scheme.
      in_bearer = ToLower(word) == "bearer";
      if (in_bearer) out.present = true;
    }
  }
  return out;
}

std::string UrlOrigin(std::string_view url) {
  size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return std::string(url);
  size_t end = url.find_first_of("/?#", scheme + 3);
  return std::string(url.substr(0, end));
}

std::string UrlPathPart(std::string_view url) {
  std::string origin = UrlOrigin(url);
  std::string_view rest = url.substr(std::min(origin.size(), url.size()));
  rest = rest.substr(0, rest.find_first_of("?#"));
  while (!rest.empty() && rest.back() == '/') rest.remove_suffix(1);
  return std::string(rest);
}

std::string CanonicalResource(std::string_view url) {
  return std::string(url.substr(0, url.find('#')));
}

std::vector<std::string> ProtectedResourceMetadataUrls(std::string_view server_url) {
  std::string origin = UrlOrigin(server_url);
  std::string path = UrlPathPart(server_url);
  std::vector<std::string> out;
  if (!path.empty()) out.push_back(origin + "/.well-known/oauth-protected-resource" + path);
  out.push_back(origin + "/.well-known/oauth-protected-resource");
  return out;
}

std::vector<std::string> AuthServerMetadataUrls(std::string_view issuer) {
  std::string origin = UrlOrigin(issuer);
  std::string path = UrlPathPart(issuer);
  if (path.empty()) {
    return {origin + "/.well-known/oauth-authorization-server",
            origin + "/.well-known/openid-configuration"};
  }
  return {origin + "/.well-known/oauth-authorization-server" + path,
          origin + "/.well-known/openid-configuration" + path,
          origin + path + "/.well-known/openid-configuration"};
}

Result<ProtectedResourceMetadata> ParseProtectedResourceMetadata(std::string_view body,
                                                                 std::string_view url) {
  Json doc = ParseJsonOrDiscarded(body);
  if (doc.is_discarded() || !doc.is_object()) return MetadataError(url, "is not a JSON object");
  ProtectedResourceMetadata out;
  out.resource = StringField(doc, "resource");
  out.authorization_servers = StringList(doc, "authorization_servers");
  out.scopes_supported = StringList(doc, "scopes_supported");
  if (out.authorization_servers.empty()) {
    return MetadataError(url, "names no authorization_servers");
  }
  return out;
}

Result<AuthServerMetadata> ParseAuthServerMetadata(std::string_view body, std::string_view url) {
  Json doc = ParseJsonOrDiscarded(body);
  if (doc.is_discarded() || !doc.is_object()) return MetadataError(url, "is not a JSON object");
  AuthServerMetadata out;
  out.issuer = StringField(doc, "issuer");
  out.authorization_endpoint = StringField(doc, "authorization_endpoint");
  out.token_endpoint = StringField(doc, "token_endpoint");
  out.registration_endpoint = StringField(doc, "registration_endpoint");
  out.code_challenge_methods_supported = StringList(doc, "code_challenge_methods_supported");
  out.scopes_supported = StringList(doc, "scopes_supported");
  out.token_endpoint_auth_methods_supported =
      StringList(doc, "token_endpoint_auth_methods_supported");
  if (out.authorization_endpoint.empty())
    return MetadataError(url, "has no authorization_endpoint");
  if (out.token_endpoint.empty()) return MetadataError(url, "has no token_endpoint");
  if (!out.code_challenge_methods_supported.empty()) {
    bool s256 = false;
    for (const auto& m : out.code_challenge_methods_supported) s256 = s256 || m == "S256";
    if (!s256) return MetadataError(url, "does not offer PKCE with S256, which MCP requires");
  }
  return out;
}

std::string FormUrlEncode(std::string_view text) {
  static const char kHex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += kHex[c >> 4];
      out += kHex[c & 15];
    }
  }
  return out;
}

std::string FormEncodeParams(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    out += FormUrlEncode(k) + "=" + FormUrlEncode(v);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> ParseQueryString(std::string_view query) {
  std::vector<std::pair<std::string, std::string>> out;
  while (!query.empty()) {
    size_t amp = query.find('&');
    std::string_view part = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view() : query.substr(amp + 1);
    if (part.empty()) continue;
    size_t eq = part.find('=');
    if (eq == std::string_view::npos) {
      out.emplace_back(PercentDecode(part), "");
    } else {
      out.emplace_back(PercentDecode(part.substr(0, eq)), PercentDecode(part.substr(eq + 1)));
    }
  }
  return out;
}

std::optional<std::string> FindParam(const std::vector<std::pair<std::string, std::string>>& params,
                                     std::string_view name) {
  for (const auto& [k, v] : params) {
    if (k == name) return v;
  }
  return std::nullopt;
}

}  // namespace brock
