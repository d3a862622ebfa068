// What an MCP server and its authorization server say about OAuth, as the MCP authorization
// specification (2025-06-18 and later) has a client find it:
//
//   1. The server's 401 carries `WWW-Authenticate: Bearer resource_metadata="<url>", scope="..."`.
//      Without resource_metadata the client tries the RFC 9728 well-known URLs of the server URL:
//      <origin>/.well-known/oauth-protected-resource<path>, then
//      <origin>/.well-known/oauth-protected-resource.
//   2. The protected resource metadata (RFC 9728) names its `authorization_servers`; the first is
//      used. A server with no such document (older servers, protocol 2025-03-26) is its own
//      authorization server at its origin.
//   3. The authorization server metadata (RFC 8414, or OpenID Connect Discovery): for an issuer
//      with a path, <origin>/.well-known/oauth-authorization-server<path>,
//      <origin>/.well-known/openid-configuration<path>, <issuer>/.well-known/openid-configuration;
//      for one without, <origin>/.well-known/oauth-authorization-server, then
//      <origin>/.well-known/openid-configuration.
//
// This file only builds URLs and parses documents; oauth_flow.h does the requests.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "base/error.h"

namespace brock {

// The parameters of a `Bearer` challenge in a WWW-Authenticate header ("" when absent).
struct BearerChallenge {
  bool present = false;  // a Bearer challenge was found
  std::string resource_metadata;
  std::string scope;
  std::string error;  // "invalid_token", "insufficient_scope", ...
};

// Finds the Bearer challenge in a WWW-Authenticate value (which may list several schemes) and
// reads its auth-params (quoted strings with backslash escapes, or tokens), names
// case-insensitive.
BearerChallenge ParseBearerChallenge(std::string_view header);

// Scheme and authority of an absolute URL ("https://a.example:8443/x?y" ->
// "https://a.example:8443").
std::string UrlOrigin(std::string_view url);
// The path of an absolute URL without query or fragment, "" for "/" or none.
std::string UrlPathPart(std::string_view url);
// The URL without its fragment: the `resource` parameter (RFC 8707) for a server URL.
std::string CanonicalResource(std::string_view url);

// The RFC 9728 well-known URLs for a server URL, in the order to try them.
std::vector<std::string> ProtectedResourceMetadataUrls(std::string_view server_url);
// The RFC 8414 / OpenID Connect discovery URLs for an issuer, in the order to try them.
std::vector<std::string> AuthServerMetadataUrls(std::string_view issuer);

struct ProtectedResourceMetadata {
  std::string resource;
  std::vector<std::string> authorization_servers;
  std::vector<std::string> scopes_supported;
};

// Parses an RFC 9728 document. Error mcp.oauth naming `url` when it is not a JSON object or has
// no authorization_servers.
Result<ProtectedResourceMetadata> ParseProtectedResourceMetadata(std::string_view body,
                                                                 std::string_view url);

struct AuthServerMetadata {
  std::string issuer;
  std::string authorization_endpoint;
  std::string token_endpoint;
  std::string registration_endpoint;  // "" when the server offers no dynamic registration
  std::vector<std::string> code_challenge_methods_supported;
  std::vector<std::string> scopes_supported;
  std::vector<std::string> token_endpoint_auth_methods_supported;
};

// Parses an RFC 8414 / OpenID document. Error mcp.oauth naming `url` when it is not a JSON object,
// lacks authorization_endpoint or token_endpoint, or does not offer PKCE with S256 (a server
// that lists code_challenge_methods_supported without "S256"; MCP requires S256).
Result<AuthServerMetadata> ParseAuthServerMetadata(std::string_view body, std::string_view url);

// application/x-www-form-urlencoded: unreserved characters kept, the rest %XX.
std::string FormUrlEncode(std::string_view text);
// "k=v&k2=v2" with both sides encoded.
std::string FormEncodeParams(const std::vector<std::pair<std::string, std::string>>& params);
// Decodes "k=v&k2=v2" (percent escapes and '+' for space).
std::vector<std::pair<std::string, std::string>> ParseQueryString(std::string_view query);
// The value of `name` in parsed params, or nullopt.
std::optional<std::string> FindParam(const std::vector<std::pair<std::string, std::string>>& params,
                                     std::string_view name);

}  // namespace brock
