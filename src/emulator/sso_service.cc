#include "emulator/sso_service.h"

#include <algorithm>
#include <cctype>
#include <nlohmann/json.hpp>

#include "aws/uri.h"
#include "base/crypto.h"
#include "base/json.h"
#include "base/strings.h"

namespace brock {

using nlohmann::json;

namespace {

struct Client {
  std::string secret;
  bool has_scopes = false;
  Clock::time_point expires_at;
};

struct DeviceCode {
  std::string client_id;
  int polls = 0;
  Clock::time_point expires_at;
};

struct RefreshGrant {
  std::string client_id;
  std::string client_secret;
};

struct Fault {
  int count = 0;
  int status = 500;
  std::string type;
};

std::string NewId(std::string_view prefix, size_t bytes = 16) {
  return std::string(prefix) + HexEncode(RandomBytes(bytes));
}

// "/a/b" and the decoded query of "http://host:1/a/b?x=1&y=%2F".
void SplitUrl(const std::string& url, std::string* path,
              std::map<std::string, std::string>* query) {
  size_t scheme = url.find("://");
  size_t start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  std::string target = start == std::string::npos ? "/" : url.substr(start);
  size_t q = target.find('?');
  *path = target.substr(0, q);
  if (q == std::string::npos) return;
  for (const std::string& pair : Split(std::string_view(target).substr(q + 1), '&')) {
    if (pair.empty()) continue;
    size_t eq = pair.find('=');
    std::string key = UriDecode(pair.substr(0, eq));
    (*query)[key] = eq == std::string::npos ? "" : UriDecode(pair.substr(eq + 1));
  }
}

// "http://127.0.0.1:1234" from the request URL.
std::string Origin(const std::string& url) {
  size_t scheme = url.find("://");
  size_t start = url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  return start == std::string::npos ? url : url.substr(0, start);
}

std::string Str(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

std::string SnakeCase(std::string_view type) {
  // "AuthorizationPendingException" -> "authorization_pending"
  if (EndsWith(type, "Exception")) type.remove_suffix(9);
  std::string out;
  for (char c : type) {
    if (std::isupper(static_cast<unsigned char>(c))) {
      if (!out.empty()) out.push_back('_');
      out.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else {
      out.push_back(c);
    }
  }
  return out;
}

void SendJson(ResponseWriter& w, int status, const json& body, const std::string& error_type = "") {
  HttpHeaders headers = {{"Content-Type", "application/json"}};
  if (!error_type.empty()) headers.push_back({"x-amzn-ErrorType", error_type});
  w.Send(status, headers, body.dump());
}

// SSO-OIDC errors: OAuth style.
void OidcError(ResponseWriter& w, int status, const std::string& type,
               const std::string& description) {
  SendJson(w, status, {{"error", SnakeCase(type)}, {"error_description", description}}, type);
}

// Portal errors.
void PortalError(ResponseWriter& w, int status, const std::string& type,
                 const std::string& message) {
  SendJson(w, status, {{"message", message}}, type);
}

int64_t EpochSeconds(Clock::time_point t) {
  return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

struct SsoService::State {
  SsoServiceOptions options;
  mutable std::mutex mu;
  std::map<std::string, Client> clients;
  std::map<std::string, DeviceCode> device_codes;
  std::map<std::string, Clock::time_point> access_tokens;
  std::map<std::string, RefreshGrant> refresh_tokens;
  std::map<std::string, Fault> faults;
  std::map<std::string, int> calls;

  Clock::time_point Now() const { return options.now ? options.now() : Clock::now(); }

  // Counts the call and answers an injected fault; true when one was sent.
  bool CountAndFault(const std::string& operation, const std::string& counted_as, bool oidc,
                     ResponseWriter& w) {
    calls[counted_as]++;
    auto it = faults.find(operation);
    if (it == faults.end() || it->second.count <= 0) return false;
    it->second.count--;
    if (oidc)
      OidcError(w, it->second.status, it->second.type, "injected fault");
    else
      PortalError(w, it->second.status, it->second.type, "injected fault");
    return true;
  }

  // The client named in `body`, or an InvalidClientException answer (nullptr).
  const Client* CheckClient(const json& body, ResponseWriter& w) {
    auto it = clients.find(Str(body, "clientId"));
    if (it == clients.end() || it->second.secret != Str(body, "clientSecret")) {
      OidcError(w, 400, "InvalidClientException", "Invalid client provided");
      return nullptr;
    }
    if (it->second.expires_at <= Now()) {
      OidcError(w, 400, "InvalidClientException", "Client registration has expired");
      return nullptr;
    }
    return &it->second;
  }

  // The bearer token's owner is valid; else a 401 answer (false).
  bool CheckBearer(const HttpRequest& r, ResponseWriter& w) {
    std::string token = FindHeader(r.headers, "x-amz-sso_bearer_token");
    auto it = access_tokens.find(token);
    if (token.empty() || it == access_tokens.end() || it->second <= Now()) {
      PortalError(w, 401, "UnauthorizedException", "Session token not found or invalid");
      return false;
    }
    return true;
  }

  json IssueToken(const std::string& client_id, const std::string& client_secret,
                  bool with_refresh) {
    std::string access = NewId("emulator-sso-access-");
    access_tokens[access] = Now() + options.access_token_lifetime;
    json out = {{"accessToken", access},
                {"tokenType", "Bearer"},
                {"expiresIn", options.access_token_lifetime.count()}};
    if (with_refresh) {
      std::string refresh = NewId("emulator-sso-refresh-");
      refresh_tokens[refresh] = {client_id, client_secret};
      out["refreshToken"] = refresh;
    }
    return out;
  }

  void RegisterClient(const json& body, ResponseWriter& w) {
    if (CountAndFault("RegisterClient", "RegisterClient", true, w)) return;
    if (Str(body, "clientName").empty() || Str(body, "clientType") != "public") {
      OidcError(w, 400, "InvalidClientMetadataException",
                "clientName and clientType=public are required");
      return;
    }
    auto scopes = body.find("scopes");
    Client c;
    c.secret = NewId("emulator-client-secret-", 24);
    c.has_scopes = scopes != body.end() && scopes->is_array() && !scopes->empty();
    Clock::time_point now = Now();
    c.expires_at = now + options.registration_lifetime;
    std::string id = NewId("emulator-client-");
    clients[id] = c;
    SendJson(w, 200,
             {{"clientId", id},
              {"clientSecret", c.secret},
              {"clientIdIssuedAt", EpochSeconds(now)},
              {"clientSecretExpiresAt", EpochSeconds(c.expires_at)}});
  }

  void StartDeviceAuthorization(const HttpRequest& r, const json& body, ResponseWriter& w) {
    if (CountAndFault("StartDeviceAuthorization", "StartDeviceAuthorization", true, w)) return;
    if (!CheckClient(body, w)) return;
    if (Str(body, "startUrl").empty()) {
      OidcError(w, 400, "InvalidRequestException", "startUrl is required");
      return;
    }
    std::string code = NewId("emulator-device-code-");
    device_codes[code] = {Str(body, "clientId"), 0, Now() + options.device_code_lifetime};
    std::string hex = ToLower(HexEncode(RandomBytes(4)));
    std::string user_code;
    for (char c : hex)
      user_code.push_back(static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
    user_code.insert(4, "-");
    std::string base = Origin(r.url) + "/device";
    SendJson(w, 200,
             {{"deviceCode", code},
              {"userCode", user_code},
              {"verificationUri", base},
              {"verificationUriComplete", base + "?user_code=" + user_code},
              {"expiresIn", options.device_code_lifetime.count()},
              {"interval", options.interval_seconds}});
  }

  void CreateToken(const json& body, ResponseWriter& w) {
    std::string grant = Str(body, "grantType");
    std::string counted =
        grant == "refresh_token" ? "CreateToken:refresh_token" : "CreateToken:device_code";
    if (CountAndFault("CreateToken", counted, true, w)) return;
    const Client* client = CheckClient(body, w);
    if (!client) return;
    const std::string client_id = Str(body, "clientId");
    const std::string client_secret = Str(body, "clientSecret");
    if (grant == "urn:ietf:params:oauth:grant-type:device_code") {
      auto it = device_codes.find(Str(body, "deviceCode"));
      if (it == device_codes.end() || it->second.client_id != client_id) {
        OidcError(w, 400, "InvalidGrantException", "Invalid device code provided");
        return;
      }
      if (it->second.expires_at <= Now()) {
        device_codes.erase(it);
        OidcError(w, 400, "ExpiredTokenException", "Device code has expired");
        return;
      }
      int poll = ++it->second.polls;
      if (poll <= options.approve_after_polls) {
        OidcError(w, 400, "AuthorizationPendingException", "Authorization is still pending");
        return;
      }
      if (poll <= options.approve_after_polls + options.slow_down_polls) {
        OidcError(w, 400, "SlowDownException", "Client is polling too quickly");
        return;
      }
      device_codes.erase(it);
      SendJson(
          w, 200,
          IssueToken(client_id, client_secret, client->has_scopes && options.issue_refresh_tokens));
      return;
    }
    if (grant == "refresh_token") {
      auto it = refresh_tokens.find(Str(body, "refreshToken"));
      if (it == refresh_tokens.end() || it->second.client_id != client_id) {
        OidcError(w, 400, "InvalidGrantException", "Invalid refresh token provided");
        return;
      }
      refresh_tokens.erase(it);  // rotated
      SendJson(w, 200, IssueToken(client_id, client_secret, true));
      return;
    }
    OidcError(w, 400, "UnsupportedGrantTypeException", "Unsupported grant type: " + grant);
  }

  void GetRoleCredentials(const HttpRequest& r, const std::map<std::string, std::string>& query,
                          ResponseWriter& w) {
    if (CountAndFault("GetRoleCredentials", "GetRoleCredentials", false, w)) return;
    if (!CheckBearer(r, w)) return;
    auto role = query.find("role_name");
    auto account = query.find("account_id");
    if (role == query.end() || account == query.end() || role->second.empty() ||
        account->second.empty()) {
      PortalError(w, 400, "InvalidRequestException", "role_name and account_id are required");
      return;
    }
    auto roles = options.account_roles.find(account->second);
    bool allowed =
        roles != options.account_roles.end() &&
        std::find(roles->second.begin(), roles->second.end(), role->second) != roles->second.end();
    if (!allowed) {
      PortalError(w, 403, "ForbiddenException", "No access");
      return;
    }
    int64_t expiration_ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                                (Now() + options.role_credentials_lifetime).time_since_epoch())
                                .count();
    std::string session = options.session_token.empty() ? "emulator-sso-session-token-0123456789"
                                                        : options.session_token;
    SendJson(w, 200,
             {{"roleCredentials",
               {{"accessKeyId", options.access_key_id},
                {"secretAccessKey", options.secret_access_key},
                {"sessionToken", session},
                {"expiration", expiration_ms}}}});
  }

  // One page of `items` from `query`'s next_token (an index) and max_result.
  static json Page(const json& items, const std::map<std::string, std::string>& query,
                   const char* list_key) {
    size_t start = 0, max = 100;
    if (auto it = query.find("next_token"); it != query.end())
      start = std::strtoul(it->second.c_str(), nullptr, 10);
    if (auto it = query.find("max_result"); it != query.end()) {
      max = std::max<size_t>(1, std::strtoul(it->second.c_str(), nullptr, 10));
    }
    json page = json::array();
    for (size_t i = start; i < items.size() && page.size() < max; ++i) page.push_back(items[i]);
    json out = {{list_key, page}};
    if (start + page.size() < items.size()) out["nextToken"] = std::to_string(start + page.size());
    return out;
  }

  void ListAccounts(const HttpRequest& r, const std::map<std::string, std::string>& query,
                    ResponseWriter& w) {
    if (CountAndFault("ListAccounts", "ListAccounts", false, w)) return;
    if (!CheckBearer(r, w)) return;
    json items = json::array();
    for (const auto& [id, _] : options.account_roles) {
      items.push_back({{"accountId", id},
                       {"accountName", "emulator-" + id},
                       {"emailAddress", id + "@example.com"}});
    }
    SendJson(w, 200, Page(items, query, "accountList"));
  }

  void ListAccountRoles(const HttpRequest& r, const std::map<std::string, std::string>& query,
                        ResponseWriter& w) {
    if (CountAndFault("ListAccountRoles", "ListAccountRoles", false, w)) return;
    if (!CheckBearer(r, w)) return;
    auto account = query.find("account_id");
    if (account == query.end() || account->second.empty()) {
      PortalError(w, 400, "InvalidRequestException", "account_id is required");
      return;
    }
    json items = json::array();
    if (auto roles = options.account_roles.find(account->second);
        roles != options.account_roles.end()) {
      for (const std::string& role : roles->second)
        items.push_back({{"roleName", role}, {"accountId", account->second}});
    }
    SendJson(w, 200, Page(items, query, "roleList"));
  }

  void Logout(const HttpRequest& r, ResponseWriter& w) {
    if (CountAndFault("Logout", "Logout", false, w)) return;
    if (!CheckBearer(r, w)) return;
    access_tokens.erase(FindHeader(r.headers, "x-amz-sso_bearer_token"));
    w.Send(200, {}, "");
  }
};

SsoService::SsoService(SsoServiceOptions options) : state_(std::make_unique<State>()) {
  state_->options = std::move(options);
}

SsoService::~SsoService() = default;

bool SsoService::Handle(const HttpRequest& request, ResponseWriter& writer) {
  std::string path;
  std::map<std::string, std::string> query;
  SplitUrl(request.url, &path, &query);
  const std::string& m = request.method;
  bool oidc = m == "POST" &&
              (path == "/client/register" || path == "/device_authorization" || path == "/token");
  bool portal = (m == "GET" && (path == "/federation/credentials" ||
                                path == "/assignment/accounts" || path == "/assignment/roles")) ||
                (m == "POST" && path == "/logout");
  if (!oidc && !portal) return false;

  std::lock_guard<std::mutex> lock(state_->mu);
  if (oidc) {
    json body = ParseJsonOrDiscarded(request.body);
    if (body.is_discarded() || !body.is_object()) {
      OidcError(writer, 400, "InvalidRequestException", "The request body is not a JSON object");
      return true;
    }
    if (path == "/client/register")
      state_->RegisterClient(body, writer);
    else if (path == "/device_authorization")
      state_->StartDeviceAuthorization(request, body, writer);
    else
      state_->CreateToken(body, writer);
    return true;
  }
  if (path == "/federation/credentials")
    state_->GetRoleCredentials(request, query, writer);
  else if (path == "/assignment/accounts")
    state_->ListAccounts(request, query, writer);
  else if (path == "/assignment/roles")
    state_->ListAccountRoles(request, query, writer);
  else
    state_->Logout(request, writer);
  return true;
}

void SsoService::AddAccessToken(const std::string& access_token, Clock::time_point expires_at) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->access_tokens[access_token] = expires_at;
}

void SsoService::AddRefreshToken(const std::string& refresh_token, const std::string& client_id,
                                 const std::string& client_secret) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->refresh_tokens[refresh_token] = {client_id, client_secret};
  Client& c = state_->clients[client_id];
  c.secret = client_secret;
  c.has_scopes = true;
  if (c.expires_at <= state_->Now())
    c.expires_at = state_->Now() + state_->options.registration_lifetime;
}

void SsoService::ExpireAccessTokens() {
  std::lock_guard<std::mutex> lock(state_->mu);
  Clock::time_point now = state_->Now();
  for (auto& [_, expires_at] : state_->access_tokens) expires_at = std::min(expires_at, now);
}

void SsoService::RevokeRefreshTokens() {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->refresh_tokens.clear();
}

void SsoService::SetAccessTokenLifetime(std::chrono::seconds lifetime) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->options.access_token_lifetime = lifetime;
}

void SsoService::FailNext(const std::string& operation, int count, int status,
                          const std::string& type) {
  std::lock_guard<std::mutex> lock(state_->mu);
  state_->faults[operation] = {count, status, type};
}

int SsoService::calls(const std::string& operation) const {
  std::lock_guard<std::mutex> lock(state_->mu);
  auto it = state_->calls.find(operation);
  return it == state_->calls.end() ? 0 : it->second;
}

}  // namespace brock
