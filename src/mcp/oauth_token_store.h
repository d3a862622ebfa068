// Where brock keeps what an MCP server's OAuth sign-in produced: one file per server URL,
//
//   $BROCK_HOME/mcp-oauth/<sha256 hex of the server URL>.json   (BROCK_HOME defaults to ~/.brock)
//
// mode 0600 in a 0700 directory, written atomically (a temporary file renamed over the old one),
// so a reader sees the old or the new record, never a mix. Format (docs/mcp.md):
//
//   {"serverUrl": "https://mcp.example.com/mcp", "accessToken": "...", "refreshToken": "...",
//    "expiresAt": 1767225600, "scope": "...", "tokenEndpoint": "https://auth.example.com/token",
//    "authorizationServer": "https://auth.example.com", "resource": "https://mcp.example.com/mcp",
//    "clientId": "...", "clientSecret": "...", "redirectUri": "http://localhost:PORT/callback"}
//
// expiresAt (seconds since the epoch) is absent when the server gave no expires_in. Reading a
// record registers its tokens and client secret as secrets (base/secrets.h), so they are scrubbed
// from anything brock prints or logs. Errors never include token values.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "base/env.h"
#include "base/error.h"

namespace brock {

struct McpOAuthRecord {
  std::string server_url;
  std::string access_token;
  std::string refresh_token;  // "" when none was issued
  std::optional<Clock::time_point> expires_at;
  std::string scope;
  std::string token_endpoint;
  std::string authorization_server;
  std::string resource;
  // The client registration (dynamic, RFC 7591, or configured).
  std::string client_id;
  std::string client_secret;  // "" for a public client
  std::string redirect_uri;
};

// How long before its expiry a token counts as expired (clock skew, request time).
inline constexpr std::chrono::seconds kTokenExpirySlack{60};

// True when the access token is missing, or expires within kTokenExpirySlack of `now`. A token
// without an expiry never counts as expired (a 401 says when it has).
bool TokenExpired(const McpOAuthRecord& record, Clock::time_point now);

// $BROCK_HOME (else ~/.brock) /mcp-oauth/<sha256 hex of server_url>.json.
std::string McpOAuthRecordPath(const Env& env, std::string_view server_url);

// The record for `server_url`; nullopt when there is none (or the file is unreadable or not a
// record: the user signs in again).
std::optional<McpOAuthRecord> LoadMcpOAuthRecord(const Env& env, std::string_view server_url);

// Writes the record (0600, atomic). Error mcp.oauth naming the file and the fix.
Status SaveMcpOAuthRecord(Env& env, const McpOAuthRecord& record);

// Forgets the sign-in for `server_url`. True when a record existed.
bool RemoveMcpOAuthRecord(Env& env, std::string_view server_url);

// The record as the file's JSON text / back (for tests and the store itself).
std::string SerializeMcpOAuthRecord(const McpOAuthRecord& record);
std::optional<McpOAuthRecord> ParseMcpOAuthRecord(std::string_view text);

}  // namespace brock
