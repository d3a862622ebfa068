// The `oauth` object of a remote server's definition, as Claude Code documents it:
//
//   {"type": "http", "url": "https://mcp.example.com/mcp",
//    "oauth": {"clientId": "my-client", "callbackPort": 8080, "scopes": "read write",
//              "authServerMetadataUrl":
//              "https://auth.example.com/.well-known/openid-configuration"}}
//
// Every key is optional. clientId skips dynamic registration (for servers without it); with
// callbackPort the redirect URI is fixed at http://localhost:PORT/callback (register that one);
// scopes overrides what discovery suggests; authServerMetadataUrl (https) skips discovery.
// brock also reads "clientSecret" (Claude Code keeps the secret out of the file, in its secure
// storage; brock has none, so a confidential client's secret, if any, is read from here).
#pragma once

#include <string>

namespace brock {

struct McpOAuthConfig {
  std::string client_id;
  std::string client_secret;
  int callback_port = 0;  // 0: a random free port
  std::string scopes;     // space-separated; "" for what discovery suggests
  std::string auth_server_metadata_url;
};

}  // namespace brock
