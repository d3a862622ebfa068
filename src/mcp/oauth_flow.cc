#include "mcp/oauth_flow.h"

#include <nlohmann/json.hpp>
#include <thread>

#include "base/error_codes.h"
#include "base/json.h"
#include "base/process.h"
#include "base/secrets.h"
#include "base/strings.h"
#include "mcp/http_transport.h"
#include "mcp/oauth_callback_listener.h"
#include "mcp/oauth_pkce.h"

namespace brock {

namespace {

constexpr size_t kMaxMetadataBytes = 1 << 20;

// The part of a URL shown in messages: never a query (it may hold a code or key).
std::string Shown(std::string_view url) {
  return std::string(url.substr(0, url.find_first_of("?#")));
}

Result<HttpResponse> Get(HttpClient& http, const std::string& url) {
  HttpRequest req;
  req.method = "GET";
  req.url = url;
  req.headers = {{"Accept", "application/json"}};
  req.total_timeout = std::chrono::milliseconds(30000);
  req.max_response_bytes = kMaxMetadataBytes;
  return http.Send(req);
}

Result<HttpResponse> PostForm(HttpClient& http, const std::string& url,
                              const std::vector<std::pair<std::string, std::string>>& params,
                              const std::string& basic_auth) {
  HttpRequest req;
  req.method = "POST";
  req.url = url;
  req.headers = {{"Content-Type", "application/x-www-form-urlencoded"},
                 {"Accept", "application/json"}};
  if (!basic_auth.empty()) req.headers.push_back({"Authorization", "Basic " + basic_auth});
  req.body = FormEncodeParams(params);
  req.total_timeout = std::chrono::milliseconds(30000);
  req.max_response_bytes = kMaxMetadataBytes;
  return http.Send(req);
}

Error OAuthError(const std::string& message, const std::string& fix = "") {
  return MakeError(errc::kMcpOAuth, message,
                   fix.empty() ? "try again; if it keeps failing, check the server's OAuth setup "
                                 "with its operator"
                               : fix);
}

// The server's error code and description from an OAuth error body ("" when none).
std::string OAuthErrorText(std::string_view body) {
  Json doc = ParseJsonOrDiscarded(body);
  if (!doc.is_object()) return "";
  std::string out;
  if (auto it = doc.find("error"); it != doc.end() && it->is_string()) out = it->get<std::string>();
  if (auto it = doc.find("error_description"); it != doc.end() && it->is_string()) {
    out += (out.empty() ? "" : ": ") + it->get<std::string>();
  }
  return ScrubSecrets(out);
}

// Fetches the first URL in `urls` that answers 200 and parses it with `parse`.
template <typename T, typename Parse>
std::optional<Result<T>> FetchFirst(HttpClient& http, const std::vector<std::string>& urls,
                                    Parse parse) {
  for (const auto& url : urls) {
    auto res = Get(http, url);
    if (!res.ok()) return Result<T>(res.error());
    if (res->status != 200) continue;  // 404 and friends: try the next form
    return parse(res->body, url);
  }
  return std::nullopt;
}

std::string AppendQuery(const std::string& url, const std::string& query) {
  return url + (url.find('?') == std::string::npos ? "?" : "&") + query;
}

}  // namespace

BrowserOpener SystemBrowserOpener(const Env& env) {
  std::string browser = env.GetNonEmpty("BROWSER").value_or("");
  if (browser.empty()) {
    if (!env.GetNonEmpty("DISPLAY") && !env.GetNonEmpty("WAYLAND_DISPLAY")) {
      // No desktop (an SSH session): xdg-open would start a text browser or fail.
      return [](const std::string&) -> Status {
        return MakeError(errc::kMcpOAuth, "no desktop to open a browser on",
                         "open the URL in a browser yourself");
      };
    }
    browser = "xdg-open";
  }
  return [browser](const std::string& url) -> Status {
    ProcessSpec spec;
    // The browser may keep running (a new browser process): start it in the background and
    // return at once. The URL goes in through the environment, never through the shell's parser.
    spec.shell_command =
        "$BROCK_BROWSER_COMMAND \"$BROCK_SIGN_IN_URL\" </dev/null >/dev/null 2>&1 &";
    spec.env["BROCK_BROWSER_COMMAND"] = browser;
    spec.env["BROCK_SIGN_IN_URL"] = url;
    spec.timeout = std::chrono::milliseconds(10000);
    auto res = RealProcessRunner().Run(spec);
    if (!res.ok()) return res.error();
    if (res->exit_code != 0) {
      return MakeError(errc::kMcpOAuth, "could not start the browser (" + browser + ")",
                       "open the URL yourself, or set BROWSER to your browser's command");
    }
    return {};
  };
}

std::string BuildAuthorizationUrl(const std::string& authorization_endpoint,
                                  const std::string& client_id, const std::string& redirect_uri,
                                  const std::string& code_challenge, const std::string& state,
                                  const std::string& resource, const std::string& scope) {
  std::vector<std::pair<std::string, std::string>> params = {{"response_type", "code"},
                                                             {"client_id", client_id},
                                                             {"redirect_uri", redirect_uri},
                                                             {"code_challenge", code_challenge},
                                                             {"code_challenge_method", "S256"},
                                                             {"state", state},
                                                             {"resource", resource}};
  if (!scope.empty()) params.push_back({"scope", scope});
  return AppendQuery(authorization_endpoint, FormEncodeParams(params));
}

Status ApplyTokenResponse(const HttpResponse& response, Clock::time_point now,
                          McpOAuthRecord& record) {
  if (response.status != 200) {
    std::string text = OAuthErrorText(response.body);
    std::string message = "the token endpoint " + Shown(record.token_endpoint) + " answered HTTP " +
                          std::to_string(response.status) + (text.empty() ? "" : " (" + text + ")");
    if (StartsWith(text, "invalid_grant") || StartsWith(text, "invalid_client")) {
      return MakeError(errc::kMcpNeedsAuth, message, "sign in again");
    }
    return OAuthError(message);
  }
  Json doc = ParseJsonOrDiscarded(response.body);
  auto it = doc.is_object() ? doc.find("access_token") : doc.end();
  if (!doc.is_object() || it == doc.end() || !it->is_string() || it->get<std::string>().empty()) {
    return OAuthError("the token endpoint " + Shown(record.token_endpoint) +
                      " gave no access_token");
  }
  if (auto t = doc.find("token_type");
      t != doc.end() && t->is_string() && ToLower(t->get<std::string>()) != "bearer") {
    return OAuthError("the token endpoint " + Shown(record.token_endpoint) +
                      " issued a token of type '" + t->get<std::string>() + "', not Bearer");
  }
  record.access_token = it->get<std::string>();
  RegisterSecret(record.access_token);
  if (auto r = doc.find("refresh_token"); r != doc.end() && r->is_string()) {
    record.refresh_token = r->get<std::string>();  // else the old one stays valid
    RegisterSecret(record.refresh_token);
  }
  record.expires_at.reset();
  if (auto e = doc.find("expires_in"); e != doc.end() && e->is_number() && e->get<double>() > 0) {
    record.expires_at = now + std::chrono::seconds(static_cast<int64_t>(e->get<double>()));
  }
  if (auto s = doc.find("scope"); s != doc.end() && s->is_string()) {
    record.scope = s->get<std::string>();
  }
  return {};
}

Result<McpOAuthDiscovery> DiscoverMcpOAuth(HttpClient& http, const std::string& server_url,
                                           const HttpHeaders& headers, bool legacy_sse,
                                           const McpOAuthConfig& config) {
  McpOAuthDiscovery out;
  out.resource = CanonicalResource(server_url);
  BearerChallenge challenge;
  if (config.auth_server_metadata_url.empty()) {
    // The unauthenticated probe: its 401 names the resource metadata.
    HttpRequest probe;
    probe.method = legacy_sse ? "GET" : "POST";
    probe.url = server_url;
    probe.headers = headers;
    probe.headers.push_back(
        {"Accept", legacy_sse ? "text/event-stream" : "application/json, text/event-stream"});
    if (!legacy_sse) {
      probe.headers.push_back({"Content-Type", "application/json"});
      probe.body =
          R"({"jsonrpc":"2.0","id":0,"method":"initialize","params":{"protocolVersion":"2025-11-25","capabilities":{},"clientInfo":{"name":"brock","version":"0"}}})";
    }
    probe.total_timeout = std::chrono::milliseconds(30000);
    probe.max_response_bytes = kMaxMetadataBytes;
    // A 2xx stream would never end: the sink stops it at its first byte.
    auto res = http.Send(probe, [](std::string_view) { return false; });
    if (res.ok()) challenge = ParseBearerChallenge(FindHeader(res->headers, "WWW-Authenticate"));
  }
  std::optional<ProtectedResourceMetadata> prm;
  if (config.auth_server_metadata_url.empty()) {
    std::vector<std::string> urls;
    if (!challenge.resource_metadata.empty()) {
      urls.push_back(ResolveUrl(server_url, challenge.resource_metadata));
    }
    for (auto& u : ProtectedResourceMetadataUrls(server_url)) urls.push_back(u);
    auto found = FetchFirst<ProtectedResourceMetadata>(http, urls, ParseProtectedResourceMetadata);
    if (found) {
      if (!found->ok()) return found->error();
      prm = std::move(found->value());
    }
  }
  if (prm) {
    out.authorization_server = prm->authorization_servers.front();
    if (!prm->resource.empty()) out.resource = prm->resource;
  } else {
    out.authorization_server = UrlOrigin(server_url);
  }
  std::vector<std::string> as_urls =
      config.auth_server_metadata_url.empty()
          ? AuthServerMetadataUrls(out.authorization_server)
          : std::vector<std::string>{config.auth_server_metadata_url};
  auto found = FetchFirst<AuthServerMetadata>(http, as_urls, ParseAuthServerMetadata);
  if (found) {
    if (!found->ok()) return found->error();
    out.metadata = std::move(found->value());
    if (!out.metadata.issuer.empty()) out.authorization_server = out.metadata.issuer;
  } else if (!config.auth_server_metadata_url.empty()) {
    return OAuthError(
        "the OAuth metadata at " + Shown(config.auth_server_metadata_url) + " could not be fetched",
        "check oauth.authServerMetadataUrl in the server's definition");
  } else if (!prm) {
    // Protocol 2025-03-26: the server's origin serves the default endpoints.
    std::string origin = UrlOrigin(server_url);
    out.metadata.authorization_endpoint = origin + "/authorize";
    out.metadata.token_endpoint = origin + "/token";
    out.metadata.registration_endpoint = origin + "/register";
  } else {
    return OAuthError("the authorization server " + Shown(out.authorization_server) +
                          " publishes no OAuth metadata (" + Join(as_urls, ", ") + ")",
                      "the server's OAuth setup is incomplete; ask its operator");
  }
  if (!config.scopes.empty()) {
    out.scope = config.scopes;
  } else if (!challenge.scope.empty()) {
    out.scope = challenge.scope;
  } else if (prm && !prm->scopes_supported.empty()) {
    out.scope = Join(prm->scopes_supported, " ");
  }
  return out;
}

namespace {

// A dynamic client registration (RFC 7591) as a public client.
Status RegisterClient(HttpClient& http, const McpOAuthDiscovery& d, McpOAuthRecord& record) {
  Json body = {{"client_name", "brock"},
               {"redirect_uris", {record.redirect_uri}},
               {"grant_types", {"authorization_code", "refresh_token"}},
               {"response_types", {"code"}},
               {"token_endpoint_auth_method", "none"}};
  if (!d.scope.empty()) body["scope"] = d.scope;
  HttpRequest req;
  req.method = "POST";
  req.url = d.metadata.registration_endpoint;
  req.headers = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
  req.body = body.dump();
  req.total_timeout = std::chrono::milliseconds(30000);
  req.max_response_bytes = kMaxMetadataBytes;
  auto res = http.Send(req);
  if (!res.ok()) return res.error();
  if (res->status != 200 && res->status != 201) {
    std::string text = OAuthErrorText(res->body);
    return OAuthError("the client registration at " + Shown(req.url) + " answered HTTP " +
                          std::to_string(res->status) + (text.empty() ? "" : " (" + text + ")"),
                      "if the server wants a registered client, set oauth.clientId in its "
                      "definition");
  }
  Json doc = ParseJsonOrDiscarded(res->body);
  if (!doc.is_object() || !doc.contains("client_id") || !doc["client_id"].is_string()) {
    return OAuthError("the client registration at " + Shown(req.url) + " gave no client_id");
  }
  record.client_id = doc["client_id"].get<std::string>();
  record.client_secret.clear();
  if (auto it = doc.find("client_secret"); it != doc.end() && it->is_string()) {
    record.client_secret = it->get<std::string>();
    RegisterSecret(record.client_secret);
  }
  return {};
}

// The client authentication for the token endpoint: params to add, or a Basic credential.
std::string ClientAuth(const McpOAuthRecord& r, const std::vector<std::string>& methods,
                       std::vector<std::pair<std::string, std::string>>& params) {
  params.push_back({"client_id", r.client_id});
  if (r.client_secret.empty()) return "";
  bool post = methods.empty();
  bool basic = false;
  for (const auto& m : methods) {
    post = post || m == "client_secret_post";
    basic = basic || m == "client_secret_basic";
  }
  if (!post && basic) {
    return Base64Encode(FormUrlEncode(r.client_id) + ":" + FormUrlEncode(r.client_secret));
  }
  params.push_back({"client_secret", r.client_secret});
  return "";
}

}  // namespace

Result<McpOAuthRecord> SignInToMcpServer(Env& env, HttpClient& http, const McpSignInOptions& o) {
  auto discovered = DiscoverMcpOAuth(http, o.server_url, o.headers, o.legacy_sse, o.config);
  if (!discovered.ok()) return discovered.error();
  const McpOAuthDiscovery& d = *discovered;
  auto listener = OAuthCallbackListener::Open(o.config.callback_port);
  if (!listener.ok()) return listener.error();

  McpOAuthRecord record;
  record.server_url = o.server_url;
  record.resource = d.resource;
  record.authorization_server = d.authorization_server;
  record.token_endpoint = d.metadata.token_endpoint;
  record.redirect_uri = listener->redirect_uri();
  if (!o.config.client_id.empty()) {
    record.client_id = o.config.client_id;
    record.client_secret = o.config.client_secret;
    RegisterSecret(record.client_secret);
  } else if (auto old = LoadMcpOAuthRecord(env, o.server_url);
             old && old->authorization_server == record.authorization_server &&
             old->redirect_uri == record.redirect_uri && !old->client_id.empty()) {
    record.client_id = old->client_id;  // registered before for this redirect URI
    record.client_secret = old->client_secret;
  } else if (!d.metadata.registration_endpoint.empty()) {
    if (Status st = RegisterClient(http, d, record); !st.ok()) return st.error();
  } else {
    return OAuthError(
        "the authorization server " + Shown(d.authorization_server) +
            " offers no dynamic client registration and no client id is configured",
        "register a client with the server's operator and set \"oauth\": {\"clientId\": \"...\", "
        "\"callbackPort\": PORT} in the server's definition");
  }

  Pkce pkce = MakePkce();
  RegisterSecret(pkce.verifier);
  std::string state = RandomUrlToken(32);
  std::string url =
      BuildAuthorizationUrl(d.metadata.authorization_endpoint, record.client_id,
                            record.redirect_uri, pkce.challenge, state, record.resource, d.scope);
  if (o.say) {
    o.say("Opening the browser to sign in. If it does not open, visit this URL:");
    o.say(url);
  }
  std::string opener_error;
  std::thread opener;
  if (o.open_browser) {
    opener = std::thread([&] {
      Status st = o.open_browser(url);
      if (!st.ok()) opener_error = st.error().message;
    });
  }
  auto callback = listener->WaitForCallback(o.timeout, o.cancel);
  if (opener.joinable()) opener.join();
  if (!opener_error.empty() && o.say) o.say("(" + opener_error + ")");
  if (!callback.ok()) return callback.error();
  const auto& params = *callback;
  auto got_state = FindParam(params, "state");
  if (!got_state || *got_state != state) {
    return OAuthError("the sign-in callback carried the wrong state (a stale or forged redirect)",
                      "start the sign-in again and finish it in the browser tab it opens");
  }
  if (auto err = FindParam(params, "error")) {
    std::string desc = FindParam(params, "error_description").value_or("");
    return OAuthError("the authorization server refused the sign-in: " + ScrubSecrets(*err) +
                      (desc.empty() ? "" : " (" + ScrubSecrets(desc) + ")"));
  }
  auto code = FindParam(params, "code");
  if (!code || code->empty()) return OAuthError("the sign-in callback carried no code");
  RegisterSecret(*code);

  std::vector<std::pair<std::string, std::string>> form = {{"grant_type", "authorization_code"},
                                                           {"code", *code},
                                                           {"redirect_uri", record.redirect_uri},
                                                           {"code_verifier", pkce.verifier},
                                                           {"resource", record.resource}};
  std::string basic = ClientAuth(record, d.metadata.token_endpoint_auth_methods_supported, form);
  auto res = PostForm(http, record.token_endpoint, form, basic);
  if (!res.ok()) return res.error();
  if (Status st = ApplyTokenResponse(*res, env.Now(), record); !st.ok()) return st.error();
  if (Status st = SaveMcpOAuthRecord(env, record); !st.ok()) return st.error();
  return record;
}

Result<McpOAuthRecord> RefreshMcpOAuthToken(Env& env, HttpClient& http, const McpOAuthRecord& old) {
  if (old.refresh_token.empty()) {
    return MakeError(errc::kMcpNeedsAuth, "the sign-in has expired and has no refresh token",
                     "sign in again");
  }
  McpOAuthRecord record = old;
  std::vector<std::pair<std::string, std::string>> form = {{"grant_type", "refresh_token"},
                                                           {"refresh_token", old.refresh_token}};
  if (!old.resource.empty()) form.push_back({"resource", old.resource});
  std::string basic = ClientAuth(record, {}, form);
  auto res = PostForm(http, old.token_endpoint, form, basic);
  if (!res.ok()) return res.error();
  if (Status st = ApplyTokenResponse(*res, env.Now(), record); !st.ok()) return st.error();
  if (Status st = SaveMcpOAuthRecord(env, record); !st.ok()) return st.error();
  return record;
}

}  // namespace brock
