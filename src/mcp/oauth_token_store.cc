#include "mcp/oauth_token_store.h"

#include <nlohmann/json.hpp>

#include "base/crypto.h"
#include "base/error_codes.h"
#include "base/json.h"
#include "base/secrets.h"

namespace brock {

bool TokenExpired(const McpOAuthRecord& record, Clock::time_point now) {
  if (record.access_token.empty()) return true;
  if (!record.expires_at) return false;
  return *record.expires_at <= now + kTokenExpirySlack;
}

std::string McpOAuthRecordPath(const Env& env, std::string_view server_url) {
  std::string home;
  if (auto h = env.GetNonEmpty("BROCK_HOME")) {
    home = *h;
  } else {
    home = JoinPath(env.HomeDir(), ".brock");
  }
  return JoinPath(JoinPath(home, "mcp-oauth"), Sha256Hex(server_url) + ".json");
}

std::string SerializeMcpOAuthRecord(const McpOAuthRecord& r) {
  Json doc = Json::object();
  doc["serverUrl"] = r.server_url;
  doc["accessToken"] = r.access_token;
  if (!r.refresh_token.empty()) doc["refreshToken"] = r.refresh_token;
  if (r.expires_at) {
    doc["expiresAt"] =
        std::chrono::duration_cast<std::chrono::seconds>(r.expires_at->time_since_epoch()).count();
  }
  if (!r.scope.empty()) doc["scope"] = r.scope;
  doc["tokenEndpoint"] = r.token_endpoint;
  doc["authorizationServer"] = r.authorization_server;
  doc["resource"] = r.resource;
  doc["clientId"] = r.client_id;
  if (!r.client_secret.empty()) doc["clientSecret"] = r.client_secret;
  if (!r.redirect_uri.empty()) doc["redirectUri"] = r.redirect_uri;
  return doc.dump(2) + "\n";
}

std::optional<McpOAuthRecord> ParseMcpOAuthRecord(std::string_view text) {
  Json doc = ParseJsonOrDiscarded(text);
  if (doc.is_discarded() || !doc.is_object()) return std::nullopt;
  auto str = [&](const char* key) {
    auto it = doc.find(key);
    return it != doc.end() && it->is_string() ? it->get<std::string>() : std::string();
  };
  McpOAuthRecord r;
  r.server_url = str("serverUrl");
  r.access_token = str("accessToken");
  r.refresh_token = str("refreshToken");
  if (auto it = doc.find("expiresAt"); it != doc.end() && it->is_number_integer()) {
    r.expires_at = Clock::time_point(std::chrono::seconds(it->get<int64_t>()));
  }
  r.scope = str("scope");
  r.token_endpoint = str("tokenEndpoint");
  r.authorization_server = str("authorizationServer");
  r.resource = str("resource");
  r.client_id = str("clientId");
  r.client_secret = str("clientSecret");
  r.redirect_uri = str("redirectUri");
  if (r.server_url.empty() || r.client_id.empty()) return std::nullopt;
  return r;
}

std::optional<McpOAuthRecord> LoadMcpOAuthRecord(const Env& env, std::string_view server_url) {
  auto text = env.ReadFile(McpOAuthRecordPath(env, server_url));
  if (!text.ok()) return std::nullopt;
  auto record = ParseMcpOAuthRecord(*text);
  if (!record || record->server_url != server_url) return std::nullopt;
  RegisterSecret(record->access_token);
  RegisterSecret(record->refresh_token);
  RegisterSecret(record->client_secret);
  return record;
}

Status SaveMcpOAuthRecord(Env& env, const McpOAuthRecord& record) {
  RegisterSecret(record.access_token);
  RegisterSecret(record.refresh_token);
  RegisterSecret(record.client_secret);
  std::string path = McpOAuthRecordPath(env, record.server_url);
  if (Status st = env.MakeDirs(DirName(path), 0700); !st.ok()) {
    return MakeError(errc::kMcpOAuth, "cannot create " + DirName(path) + ": " + st.error().message,
                     "check that " + DirName(DirName(path)) + " is writable by you");
  }
  if (Status st = env.WriteFileAtomic(path, SerializeMcpOAuthRecord(record), 0600); !st.ok()) {
    return MakeError(errc::kMcpOAuth,
                     "cannot write the MCP sign-in file " + path + ": " + st.error().message,
                     "check that " + DirName(path) + " is writable by you");
  }
  return {};
}

bool RemoveMcpOAuthRecord(Env& env, std::string_view server_url) {
  std::string path = McpOAuthRecordPath(env, server_url);
  if (!env.Stat(path).exists) return false;
  return env.RemoveFile(path).ok();
}

}  // namespace brock
