// OAuth for remote MCP servers: PKCE, discovery documents, WWW-Authenticate, the token store,
// expiry and refresh, and the whole sign-in against an in-process authorization server.
#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>

#include <atomic>
#include <filesystem>
#include <nlohmann/json.hpp>

#include "base/error_codes.h"
#include "base/secrets.h"
#include "mcp/http_transport.h"
#include "mcp/mcp_client.h"
#include "mcp/oauth_callback_listener.h"
#include "mcp/oauth_flow.h"
#include "mcp/oauth_metadata.h"
#include "mcp/oauth_pkce.h"
#include "mcp/oauth_token_source.h"
#include "mcp/oauth_token_store.h"
#include "testing/fake_env.h"
#include "testing/test_http_server.h"

namespace brock {
namespace {

using testing::FakeEnv;
using testing::TestHttpConnection;
using testing::TestHttpRequest;
using testing::TestHttpServer;

TEST(Pkce, Rfc7636AppendixBVector) {
  // RFC 7636 Appendix B: the verifier's 32 octets, their base64url, and the S256 challenge.
  const unsigned char octets[] = {116, 24,  223, 180, 151, 153, 224, 37,  79,  250, 96,
                                  125, 216, 173, 187, 186, 22,  212, 37,  77,  105, 214,
                                  191, 240, 91,  88,  5,   88,  83,  132, 141, 121};
  std::string verifier =
      Base64UrlEncode(std::string(reinterpret_cast<const char*>(octets), sizeof(octets)));
  EXPECT_EQ(verifier, "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk");
  EXPECT_EQ(PkceS256Challenge(verifier), "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM");
}

TEST(Pkce, FreshVerifiersAreLongRandomAndMatchTheirChallenge) {
  Pkce a = MakePkce(), b = MakePkce();
  EXPECT_EQ(a.verifier.size(), 43u);  // within RFC 7636's 43..128
  EXPECT_NE(a.verifier, b.verifier);
  EXPECT_EQ(a.challenge, PkceS256Challenge(a.verifier));
  EXPECT_EQ(a.verifier.find_first_of("+/="), std::string::npos);
}

TEST(BearerChallenge, ReadsResourceMetadataScopeAndError) {
  auto c = ParseBearerChallenge(
      R"(Bearer realm="mcp", resource_metadata="https://a.example/.well-known/oauth-protected-resource/mcp", scope="read write", error="invalid_token", error_description="The \"token\" expired")");
  EXPECT_TRUE(c.present);
  EXPECT_EQ(c.resource_metadata, "https://a.example/.well-known/oauth-protected-resource/mcp");
  EXPECT_EQ(c.scope, "read write");
  EXPECT_EQ(c.error, "invalid_token");
}

TEST(BearerChallenge, FindsBearerAmongOtherSchemesCaseInsensitively) {
  auto c = ParseBearerChallenge(
      "Basic realm=\"x\", resource_metadata=\"wrong\", bearer Resource_Metadata=https://r/m");
  EXPECT_TRUE(c.present);
  EXPECT_EQ(c.resource_metadata, "https://r/m");
  EXPECT_FALSE(ParseBearerChallenge("Basic realm=\"x\"").present);
  EXPECT_TRUE(ParseBearerChallenge("Bearer").present);
  EXPECT_TRUE(ParseBearerChallenge("").resource_metadata.empty());
}

TEST(OAuthDiscoveryUrls, ProtectedResourceAndAuthorizationServerOrders) {
  EXPECT_EQ(ProtectedResourceMetadataUrls("https://a.example:8443/api/mcp?x=1"),
            (std::vector<std::string>{
                "https://a.example:8443/.well-known/oauth-protected-resource/api/mcp",
                "https://a.example:8443/.well-known/oauth-protected-resource"}));
  EXPECT_EQ(ProtectedResourceMetadataUrls("https://a.example/"),
            (std::vector<std::string>{"https://a.example/.well-known/oauth-protected-resource"}));
  EXPECT_EQ(AuthServerMetadataUrls("https://auth.example"),
            (std::vector<std::string>{"https://auth.example/.well-known/oauth-authorization-server",
                                      "https://auth.example/.well-known/openid-configuration"}));
  EXPECT_EQ(AuthServerMetadataUrls("https://auth.example/tenant1"),
            (std::vector<std::string>{
                "https://auth.example/.well-known/oauth-authorization-server/tenant1",
                "https://auth.example/.well-known/openid-configuration/tenant1",
                "https://auth.example/tenant1/.well-known/openid-configuration"}));
  EXPECT_EQ(CanonicalResource("https://a.example/mcp#frag"), "https://a.example/mcp");
}

TEST(OAuthMetadata, ParsesProtectedResourceMetadata) {
  auto m = ParseProtectedResourceMetadata(
      R"({"resource": "https://a.example/mcp", "authorization_servers": ["https://auth.example"],
          "scopes_supported": ["mcp:tools"]})",
      "u");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->resource, "https://a.example/mcp");
  EXPECT_EQ(m->authorization_servers, std::vector<std::string>{"https://auth.example"});
  EXPECT_EQ(m->scopes_supported, std::vector<std::string>{"mcp:tools"});
  auto bad = ParseProtectedResourceMetadata(R"({"resource": "x"})", "https://a/pr");
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.error().code, errc::kMcpOAuth);
  EXPECT_NE(bad.error().message.find("https://a/pr"), std::string::npos);
  EXPECT_FALSE(ParseProtectedResourceMetadata("not json", "u").ok());
}

TEST(OAuthMetadata, ParsesAuthorizationServerMetadataAndRequiresS256) {
  auto m = ParseAuthServerMetadata(
      R"({"issuer": "https://auth.example", "authorization_endpoint": "https://auth.example/authorize",
          "token_endpoint": "https://auth.example/token", "registration_endpoint": "https://auth.example/register",
          "code_challenge_methods_supported": ["plain", "S256"]})",
      "u");
  ASSERT_TRUE(m.ok());
  EXPECT_EQ(m->issuer, "https://auth.example");
  EXPECT_EQ(m->registration_endpoint, "https://auth.example/register");
  EXPECT_FALSE(ParseAuthServerMetadata(
                   R"({"authorization_endpoint": "a", "token_endpoint": "t",
                       "code_challenge_methods_supported": ["plain"]})",
                   "u")
                   .ok());
  EXPECT_FALSE(ParseAuthServerMetadata(R"({"authorization_endpoint": "a"})", "u").ok());
  // No list at all: PKCE is assumed (many OpenID providers omit it).
  EXPECT_TRUE(
      ParseAuthServerMetadata(R"({"authorization_endpoint": "a", "token_endpoint": "t"})", "u")
          .ok());
}

TEST(OAuthMetadata, FormEncodingAndQueryParsing) {
  EXPECT_EQ(FormEncodeParams({{"a b", "c&d=e"}, {"r", "https://x/y"}}),
            "a%20b=c%26d%3De&r=https%3A%2F%2Fx%2Fy");
  auto q = ParseQueryString("code=abc%2Fd&state=s+t&empty=&flag");
  EXPECT_EQ(FindParam(q, "code"), "abc/d");
  EXPECT_EQ(FindParam(q, "state"), "s t");
  EXPECT_EQ(FindParam(q, "empty"), "");
  EXPECT_EQ(FindParam(q, "flag"), "");
  EXPECT_FALSE(FindParam(q, "missing"));
}

TEST(OAuthFlow, AuthorizationUrlCarriesPkceStateAndResource) {
  std::string url = BuildAuthorizationUrl("https://auth.example/authorize?tenant=1", "cid",
                                          "http://localhost:5555/callback", "CHAL", "STATE",
                                          "https://a.example/mcp", "read write");
  EXPECT_EQ(url.rfind("https://auth.example/authorize?tenant=1&response_type=code&", 0), 0u);
  auto q = ParseQueryString(url.substr(url.find('?') + 1));
  EXPECT_EQ(FindParam(q, "client_id"), "cid");
  EXPECT_EQ(FindParam(q, "redirect_uri"), "http://localhost:5555/callback");
  EXPECT_EQ(FindParam(q, "code_challenge"), "CHAL");
  EXPECT_EQ(FindParam(q, "code_challenge_method"), "S256");
  EXPECT_EQ(FindParam(q, "state"), "STATE");
  EXPECT_EQ(FindParam(q, "resource"), "https://a.example/mcp");
  EXPECT_EQ(FindParam(q, "scope"), "read write");
}

McpOAuthRecord SampleRecord() {
  McpOAuthRecord r;
  r.server_url = "https://a.example/mcp";
  r.access_token = "access-token-0123456789";
  r.refresh_token = "refresh-token-0123456789";
  r.expires_at = Clock::time_point(std::chrono::seconds(1767225600));
  r.token_endpoint = "https://auth.example/token";
  r.authorization_server = "https://auth.example";
  r.resource = "https://a.example/mcp";
  r.client_id = "client-1";
  r.redirect_uri = "http://localhost:1234/callback";
  return r;
}

TEST(OAuthTokenStore, RoundTripsInAPrivateFilePerServerUrl) {
  FakeEnv env;
  McpOAuthRecord r = SampleRecord();
  ASSERT_TRUE(SaveMcpOAuthRecord(env, r).ok());
  std::string path = McpOAuthRecordPath(env, r.server_url);
  EXPECT_EQ(path.rfind("/home/user/.brock/mcp-oauth/", 0), 0u);
  EXPECT_EQ(env.modes[path], 0600u);
  auto back = LoadMcpOAuthRecord(env, r.server_url);
  ASSERT_TRUE(back);
  EXPECT_EQ(back->access_token, r.access_token);
  EXPECT_EQ(back->refresh_token, r.refresh_token);
  EXPECT_EQ(back->expires_at, r.expires_at);
  EXPECT_EQ(back->client_id, "client-1");
  EXPECT_FALSE(LoadMcpOAuthRecord(env, "https://other.example/mcp"));
  env.vars["BROCK_HOME"] = "/state";
  EXPECT_EQ(McpOAuthRecordPath(env, r.server_url).rfind("/state/mcp-oauth/", 0), 0u);
  env.vars.erase("BROCK_HOME");
  EXPECT_TRUE(RemoveMcpOAuthRecord(env, r.server_url));
  EXPECT_FALSE(LoadMcpOAuthRecord(env, r.server_url));
  EXPECT_FALSE(RemoveMcpOAuthRecord(env, r.server_url));
}

TEST(OAuthTokenStore, RealFilesAre0600In0700AndReplacedAtomically) {
  char tmpl[] = "/tmp/brock-oauth-test-XXXXXX";
  ASSERT_NE(::mkdtemp(tmpl), nullptr);
  std::string dir = tmpl;
  ::setenv("BROCK_HOME", (dir + "/state").c_str(), 1);
  Env& env = RealEnv();
  McpOAuthRecord r = SampleRecord();
  ASSERT_TRUE(SaveMcpOAuthRecord(env, r).ok());
  r.access_token = "second-access-token-987654";
  ASSERT_TRUE(SaveMcpOAuthRecord(env, r).ok());
  std::string path = McpOAuthRecordPath(env, r.server_url);
  struct stat st {};
  ASSERT_EQ(::stat(path.c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(::stat(DirName(path).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  // Only the record itself: no temporary file was left beside it.
  EXPECT_EQ(env.ListDir(DirName(path)).size(), 1u);
  EXPECT_EQ(LoadMcpOAuthRecord(env, r.server_url)->access_token, "second-access-token-987654");
  ::unsetenv("BROCK_HOME");
  std::filesystem::remove_all(dir);
}

TEST(OAuthTokenStore, LoadedTokensAreScrubbedFromOutput) {
  FakeEnv env;
  McpOAuthRecord r = SampleRecord();
  r.access_token = "scrub-me-access-4242424242";
  env.files[McpOAuthRecordPath(env, r.server_url)] = SerializeMcpOAuthRecord(r);
  ASSERT_TRUE(LoadMcpOAuthRecord(env, r.server_url));
  EXPECT_EQ(ScrubSecrets("token scrub-me-access-4242424242 here"), "token [REDACTED] here");
}

TEST(OAuthTokenStore, ExpiryWithSlack) {
  McpOAuthRecord r = SampleRecord();
  Clock::time_point exp = *r.expires_at;
  EXPECT_FALSE(TokenExpired(r, exp - std::chrono::minutes(5)));
  EXPECT_TRUE(TokenExpired(r, exp - std::chrono::seconds(30)));  // inside the slack
  EXPECT_TRUE(TokenExpired(r, exp + std::chrono::seconds(1)));
  r.expires_at.reset();
  EXPECT_FALSE(TokenExpired(r, exp + std::chrono::hours(100)));  // no expiry: a 401 decides
  r.access_token.clear();
  EXPECT_TRUE(TokenExpired(r, exp));
}

TEST(OAuthFlow, TokenResponsesAndTheirErrors) {
  McpOAuthRecord r = SampleRecord();
  Clock::time_point now = Clock::time_point(std::chrono::seconds(1000));
  HttpResponse ok{
      200,
      {},
      R"({"access_token": "new-access-token-11111", "token_type": "bearer", "expires_in": 3600})"};
  ASSERT_TRUE(ApplyTokenResponse(ok, now, r).ok());
  EXPECT_EQ(r.access_token, "new-access-token-11111");
  EXPECT_EQ(r.refresh_token, "refresh-token-0123456789");  // kept when none is issued
  EXPECT_EQ(*r.expires_at, now + std::chrono::seconds(3600));
  HttpResponse grant{400, {}, R"({"error": "invalid_grant", "error_description": "expired"})"};
  auto e = ApplyTokenResponse(grant, now, r);
  ASSERT_FALSE(e.ok());
  EXPECT_EQ(e.error().code, errc::kMcpNeedsAuth);
  EXPECT_NE(e.error().message.find("invalid_grant: expired"), std::string::npos);
  HttpResponse mac{200, {}, R"({"access_token": "abcdefghijkl", "token_type": "mac"})"};
  EXPECT_EQ(ApplyTokenResponse(mac, now, r).error().code, errc::kMcpOAuth);
  HttpResponse none{200, {}, R"({"token_type": "Bearer"})"};
  EXPECT_FALSE(ApplyTokenResponse(none, now, r).ok());
}

// An MCP server with its own authorization server, in process: /mcp wants a Bearer token,
// the well-known documents, dynamic registration, /authorize (redirects at once, as a user who
// approves), /token (authorization_code with PKCE, refresh_token).
struct FakeAuthServer {
  std::mutex mu;
  std::string challenge, client_id = "dyn-client-1", code = "the-code-0123456789";
  std::string redirect_uri, resource, state;
  int token_number = 0;
  int refreshes = 0;
  int expires_in = 3600;
  std::string valid_token;
  std::vector<std::string> mcp_auth_headers;
  std::unique_ptr<TestHttpServer> server;

  FakeAuthServer() {
    server = std::make_unique<TestHttpServer>(
        [this](const TestHttpRequest& req, TestHttpConnection& c) { Handle(req, c); });
  }
  std::string Url(const std::string& path) { return server->Url(path); }

  void Handle(const TestHttpRequest& req, TestHttpConnection& c) {
    std::lock_guard<std::mutex> lock(mu);
    std::string path = req.target.substr(0, req.target.find('?'));
    auto query = ParseQueryString(req.target.find('?') == std::string::npos
                                      ? ""
                                      : req.target.substr(req.target.find('?') + 1));
    HttpHeaders json = {{"Content-Type", "application/json"}};
    if (path == "/mcp") {
      std::string auth = FindHeader(req.headers, "Authorization");
      mcp_auth_headers.push_back(auth);
      if (valid_token.empty() || auth != "Bearer " + valid_token) {
        c.Respond(401,
                  {{"WWW-Authenticate", "Bearer resource_metadata=\"" +
                                            Url("/.well-known/oauth-protected-resource/mcp") +
                                            "\", scope=\"mcp:tools\""}},
                  "");
        return;
      }
      if (req.method != "POST") {
        c.Respond(405, {}, "");
        return;
      }
      auto msg = nlohmann::json::parse(req.body, nullptr, false);
      if (!msg.is_object() || !msg.contains("id")) {
        c.Respond(202, {}, "");
        return;
      }
      nlohmann::json result = nlohmann::json::object();
      if (msg["method"] == "initialize") {
        result = {{"protocolVersion", "2025-06-18"},
                  {"capabilities", {{"tools", nlohmann::json::object()}}},
                  {"serverInfo", {{"name", "fake-oauth"}, {"version", "1"}}}};
      } else if (msg["method"] == "tools/list") {
        result = {{"tools", {{{"name", "whoami"}, {"inputSchema", {{"type", "object"}}}}}}};
      }
      c.Respond(200, json,
                nlohmann::json{{"jsonrpc", "2.0"}, {"id", msg["id"]}, {"result", result}}.dump());
    } else if (path == "/.well-known/oauth-protected-resource/mcp") {
      c.Respond(200, json,
                nlohmann::json{{"resource", Url("/mcp")},
                               {"authorization_servers", {Url("/")}},
                               {"scopes_supported", {"mcp:tools"}}}
                    .dump());
    } else if (path == "/.well-known/oauth-authorization-server") {
      c.Respond(200, json,
                nlohmann::json{{"issuer", Url("/")},
                               {"authorization_endpoint", Url("/authorize")},
                               {"token_endpoint", Url("/token")},
                               {"registration_endpoint", Url("/register")},
                               {"code_challenge_methods_supported", {"S256"}}}
                    .dump());
    } else if (path == "/register") {
      auto body = nlohmann::json::parse(req.body);
      redirect_uri = body["redirect_uris"][0];
      c.Respond(201, json, nlohmann::json{{"client_id", client_id}}.dump());
    } else if (path == "/authorize") {
      challenge = FindParam(query, "code_challenge").value_or("");
      resource = FindParam(query, "resource").value_or("");
      state = FindParam(query, "state").value_or("");
      EXPECT_EQ(FindParam(query, "code_challenge_method"), "S256");
      EXPECT_EQ(FindParam(query, "client_id"), client_id);
      EXPECT_EQ(FindParam(query, "scope"), "mcp:tools");
      c.Respond(302,
                {{"Location", FindParam(query, "redirect_uri").value_or("") + "?code=" + code +
                                  "&state=" + FormUrlEncode(state)}},
                "");
    } else if (path == "/token") {
      auto form = ParseQueryString(req.body);
      std::string grant = FindParam(form, "grant_type").value_or("");
      bool good = false;
      if (grant == "authorization_code") {
        good = FindParam(form, "code") == code &&
               PkceS256Challenge(FindParam(form, "code_verifier").value_or("")) == challenge &&
               FindParam(form, "redirect_uri") == redirect_uri &&
               FindParam(form, "resource") == Url("/mcp");
      } else if (grant == "refresh_token") {
        good = FindParam(form, "refresh_token") ==
                   "refresh-" + std::to_string(token_number) + "-abcdefgh" &&
               FindParam(form, "resource") == Url("/mcp");
        ++refreshes;
      }
      if (!good) {
        c.Respond(400, json, R"({"error": "invalid_grant"})");
        return;
      }
      ++token_number;
      valid_token = "access-" + std::to_string(token_number) + "-abcdefgh";
      c.Respond(
          200, json,
          nlohmann::json{{"access_token", valid_token},
                         {"token_type", "Bearer"},
                         {"expires_in", expires_in},
                         {"refresh_token", "refresh-" + std::to_string(token_number) + "-abcdefgh"}}
              .dump());
    } else {
      c.Respond(404, {}, "");
    }
  }
};

// The browser of a user who approves at once: GET the authorization URL, follow its redirect to
// the loopback callback.
BrowserOpener FollowingBrowser(HttpClient& http) {
  return [&http](const std::string& url) -> Status {
    HttpRequest req;
    req.url = url;
    auto res = http.Send(req);
    if (!res.ok()) return res.error();
    std::string location = FindHeader(res->headers, "Location");
    if (res->status != 302 || location.empty()) return MakeError("test", "no redirect");
    // The redirect names localhost; the listener is on 127.0.0.1.
    std::string target = location;
    if (size_t at = target.find("localhost"); at != std::string::npos) {
      target.replace(at, 9, "127.0.0.1");
    }
    req.url = target;
    auto cb = http.Send(req);
    if (!cb.ok()) return cb.error();
    if (cb->body.find("close this tab") == std::string::npos) return MakeError("test", "page");
    return {};
  };
}

TEST(OAuthFlow, SignsInRegistersUsesAndRefreshesTheToken) {
  FakeAuthServer as;
  FakeEnv env;
  auto http = MakeCurlHttpClient();
  // Without a sign-in the server needs authentication, and the transport says so.
  auto source = std::make_shared<OAuthTokenSource>(env, *http, as.Url("/mcp"));
  {
    HttpServerSpec spec;
    spec.url = as.Url("/mcp");
    spec.oauth = source;
    spec.name = "fake";
    McpClient client("fake", std::make_unique<HttpTransport>(*http, spec));
    Status st = client.Connect(std::chrono::seconds(10));
    ASSERT_FALSE(st.ok());
    EXPECT_EQ(st.error().code, errc::kMcpNeedsAuth);
    EXPECT_NE(st.error().fix.find("brock mcp login fake"), std::string::npos);
  }
  std::vector<std::string> said;
  McpSignInOptions o;
  o.server_url = as.Url("/mcp");
  o.open_browser = FollowingBrowser(*http);
  o.say = [&](const std::string& line) { said.push_back(line); };
  o.timeout = std::chrono::seconds(20);
  auto record = SignInToMcpServer(env, *http, o);
  ASSERT_TRUE(record.ok()) << record.error().ToString();
  EXPECT_EQ(record->access_token, "access-1-abcdefgh");
  EXPECT_EQ(record->client_id, "dyn-client-1");
  EXPECT_EQ(record->resource, as.Url("/mcp"));
  EXPECT_EQ(record->redirect_uri.rfind("http://localhost:", 0), 0u);
  ASSERT_EQ(said.size(), 2u);
  EXPECT_EQ(said[1].rfind(as.Url("/authorize?"), 0), 0u);  // the URL is always printed
  for (const auto& line : said) EXPECT_EQ(line.find("access-1"), std::string::npos);
  auto saved = LoadMcpOAuthRecord(env, as.Url("/mcp"));
  ASSERT_TRUE(saved);
  EXPECT_EQ(saved->refresh_token, "refresh-1-abcdefgh");
  EXPECT_EQ(env.modes[McpOAuthRecordPath(env, as.Url("/mcp"))], 0600u);

  // Now the transport connects with the token.
  auto fresh = std::make_shared<OAuthTokenSource>(env, *http, as.Url("/mcp"));
  HttpServerSpec spec;
  spec.url = as.Url("/mcp");
  spec.oauth = fresh;
  {
    McpClient client("fake", std::make_unique<HttpTransport>(*http, spec));
    ASSERT_TRUE(client.Connect(std::chrono::seconds(10)).ok());
    EXPECT_EQ(client.ListTools(std::chrono::seconds(10))->size(), 1u);
    client.Close();
  }
  EXPECT_EQ(as.mcp_auth_headers.back(), "Bearer access-1-abcdefgh");

  // The server revokes the token: a 401 refreshes it and the request goes again.
  {
    std::lock_guard<std::mutex> lock(as.mu);
    as.valid_token = "revoked-nothing-matches";
  }
  {
    McpClient client("fake", std::make_unique<HttpTransport>(*http, spec));
    ASSERT_TRUE(client.Connect(std::chrono::seconds(10)).ok());
    client.Close();
  }
  EXPECT_EQ(as.refreshes, 1);
  EXPECT_EQ(LoadMcpOAuthRecord(env, as.Url("/mcp"))->access_token, "access-2-abcdefgh");

  // An expired token is refreshed before it is sent.
  env.now += std::chrono::hours(2);
  auto later = std::make_shared<OAuthTokenSource>(env, *http, as.Url("/mcp"));
  EXPECT_EQ(later->AccessToken(), "access-3-abcdefgh");
  EXPECT_EQ(as.refreshes, 2);

  // A refused refresh leaves the server needing a sign-in (never a browser).
  {
    std::lock_guard<std::mutex> lock(as.mu);
    as.valid_token = "revoked-again";
    as.token_number = 99;
  }
  HttpServerSpec spec3 = spec;
  spec3.oauth = later;
  McpClient client("fake", std::make_unique<HttpTransport>(*http, spec3));
  Status st = client.Connect(std::chrono::seconds(10));
  ASSERT_FALSE(st.ok());
  EXPECT_EQ(st.error().code, errc::kMcpNeedsAuth);
}

TEST(OAuthFlow, AWrongStateIsRefused) {
  FakeAuthServer as;
  FakeEnv env;
  auto http = MakeCurlHttpClient();
  McpSignInOptions o;
  o.server_url = as.Url("/mcp");
  o.timeout = std::chrono::seconds(20);
  // A "browser" that delivers a forged callback instead of following the real redirect.
  o.open_browser = [&](const std::string& url) -> Status {
    auto q = ParseQueryString(url.substr(url.find('?') + 1));
    HttpRequest req;
    std::string redirect = *FindParam(q, "redirect_uri");
    redirect.replace(redirect.find("localhost"), 9, "127.0.0.1");
    req.url = redirect + "?code=the-code-0123456789&state=forged";
    (void)http->Send(req);
    return {};
  };
  auto record = SignInToMcpServer(env, *http, o);
  ASSERT_FALSE(record.ok());
  EXPECT_NE(record.error().message.find("wrong state"), std::string::npos);
  EXPECT_FALSE(LoadMcpOAuthRecord(env, as.Url("/mcp")));
}

TEST(OAuthCallbackListener, IgnoresOtherPathsAndTimesOut) {
  auto listener = OAuthCallbackListener::Open(0);
  ASSERT_TRUE(listener.ok());
  EXPECT_GT(listener->port(), 0);
  auto timed_out = listener->WaitForCallback(std::chrono::milliseconds(300));
  ASSERT_FALSE(timed_out.ok());
  EXPECT_EQ(timed_out.error().code, errc::kMcpOAuth);
  auto http = MakeCurlHttpClient();
  std::string base = "http://127.0.0.1:" + std::to_string(listener->port());
  std::thread browser([&] {
    HttpRequest req;
    req.url = base + "/favicon.ico";
    auto r1 = http->Send(req);
    EXPECT_EQ(r1->status, 404);
    req.url = base + "/callback?code=c&state=s";
    auto r2 = http->Send(req);
    EXPECT_EQ(r2->status, 200);
  });
  auto got = listener->WaitForCallback(std::chrono::seconds(10));
  browser.join();
  ASSERT_TRUE(got.ok());
  EXPECT_EQ(FindParam(*got, "code"), "c");
  EXPECT_EQ(FindParam(*got, "state"), "s");
}

}  // namespace
}  // namespace brock
