#include "aws/sts_client.h"

#include <sstream>

#include <pugixml.hpp>

#include "aws/aws_error.h"
#include "aws/credential_time.h"
#include "aws/credentials.h"
#include "aws/endpoint.h"
#include "aws/region.h"
#include "aws/sigv4.h"
#include "aws/uri.h"
#include "base/error_codes.h"
#include "base/secrets.h"
#include "base/strings.h"

namespace brock {

namespace {

constexpr char kApiVersion[] = "2011-06-15";
constexpr int kMaxAttempts = 3;

// The first element named `name` below `node` (depth first), ignoring namespaces (pugixml keeps
// the xmlns attribute but names carry no prefix in STS answers).
pugi::xml_node FindElement(pugi::xml_node node, const char* name) {
  for (pugi::xml_node child : node.children()) {
    if (child.type() != pugi::node_element) continue;
    if (std::string_view(child.name()) == name) return child;
    if (pugi::xml_node found = FindElement(child, name)) return found;
  }
  return {};
}

std::string Text(pugi::xml_node node, const char* name) {
  return std::string(Trim(node.child_value(name)));
}

struct ErrorMapping {
  const char* code;
  const char* fix;
};

ErrorMapping MapType(std::string_view type) {
  if (type == "AccessDenied" || type == "AccessDeniedException") {
    return {errc::kStsAccessDenied,
            "check that the role's trust policy allows the source identity to call sts:AssumeRole "
            "(and that the source identity's own policy allows it), or ask your AWS administrator"};
  }
  if (type == "ExpiredToken" || type == "ExpiredTokenException") {
    return {errc::kStsExpiredToken,
            "the source credentials have expired: refresh them (for SSO: aws sso login) and retry"};
  }
  if (type == "InvalidClientTokenId" || type == "SignatureDoesNotMatch" ||
      type == "IncompleteSignature" || type == "UnrecognizedClientException" ||
      type == "InvalidAccessKeyId") {
    return {errc::kStsInvalidCredentials,
            "the source credentials are not valid: check the access key id and secret (or "
            "session token) they come from"};
  }
  if (type == "InvalidIdentityToken" || type == "IDPRejectedClaim" ||
      type == "IDPCommunicationError") {
    return {"sts.invalid_identity_token",
            "check the web identity token file and that the role trusts its identity provider"};
  }
  if (type == "RegionDisabledException") {
    return {"sts.region_disabled",
            "activate STS in this region in the IAM console (Account settings), or set AWS_REGION "
            "to a region where it is active"};
  }
  if (type == "ValidationError" || type == "MalformedPolicyDocument" ||
      type == "PackedPolicyTooLarge" || type == "InvalidParameterValue" ||
      type == "MissingParameter" || type == "InvalidAction") {
    return {"sts.invalid_request",
            "check role_arn, role_session_name, duration_seconds and external_id in the profile"};
  }
  if (IsRetryableAwsErrorType(type)) {
    return {"sts.throttled", "wait a moment and retry"};
  }
  return {"sts.failed", "check the role configuration and the STS endpoint"};
}

// ParseAwsXmlError, also accepting the <ErrorResponse><Errors><Error> nesting some STS-compatible
// servers (moto, the EC2 family's style) use: the first <Error> element is re-wrapped in the
// canonical shape.
Error ParseStsError(int status, const std::string& body) {
  Error e = ParseAwsXmlError(status, body);
  if (!errc::IsAwsException(e, "UnknownError")) return e;
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) return e;
  pugi::xml_node error = FindElement(doc, "Error");
  if (!error || !error.child("Code")) return e;
  pugi::xml_document canonical;
  canonical.append_child("ErrorResponse").append_copy(error);
  std::ostringstream out;
  canonical.save(out, "", pugi::format_raw);
  return ParseAwsXmlError(status, out.str());
}

Error MapStsError(Error aws, std::string_view action, const std::string& url) {
  std::string type = aws.code.rfind("aws.", 0) == 0 ? aws.code.substr(4) : aws.code;
  ErrorMapping m = MapType(type);
  Error e = MakeError(
      m.code, ScrubSecrets(std::string(action) + " via " + url + ": " + aws.message), m.fix);
  e.http_status = aws.http_status;
  e.retryable = aws.retryable;
  return e;
}

Result<Credentials> ParseCredentialsXml(const std::string& body, std::string_view action) {
  pugi::xml_document doc;
  if (!doc.load_buffer(body.data(), body.size())) {
    return MakeError(
        "sts.bad_response", std::string(action) + " answered with XML brock cannot parse",
        "check that the STS endpoint (AWS_ENDPOINT_URL_STS, endpoint_url) is really STS");
  }
  pugi::xml_node creds = FindElement(doc, "Credentials");
  Credentials c;
  c.access_key_id = Text(creds, "AccessKeyId");
  c.secret_access_key = Text(creds, "SecretAccessKey");
  c.session_token = Text(creds, "SessionToken");
  RegisterSecret(c.secret_access_key);
  RegisterSecret(c.session_token);
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return MakeError(
        "sts.bad_response",
        std::string(action) + " answered without Credentials/AccessKeyId and SecretAccessKey",
        "check that the STS endpoint (AWS_ENDPOINT_URL_STS, endpoint_url) is really STS");
  }
  std::string expiration = Text(creds, "Expiration");
  if (!expiration.empty()) {
    auto t = ParseIso8601(expiration);
    if (!t) {
      return MakeError(
          "sts.bad_response",
          std::string(action) + " answered with an unreadable Expiration \"" + expiration + "\"",
          "check that the STS endpoint (AWS_ENDPOINT_URL_STS, endpoint_url) is really STS");
    }
    c.expiration = *t;
  }
  pugi::xml_node user = FindElement(doc, "AssumedRoleUser");
  c.account_id = AccountFromArn(Text(user, "Arn"));
  return c;
}

}  // namespace

std::string FormEncode(const std::vector<std::pair<std::string, std::string>>& params) {
  std::string out;
  for (const auto& [k, v] : params) {
    if (!out.empty()) out += '&';
    AppendUriEncoded(out, k, true);
    out += '=';
    AppendUriEncoded(out, v, true);
  }
  return out;
}

std::string AccountFromArn(std::string_view arn) {
  std::vector<std::string> parts = Split(arn, ':');
  if (parts.size() < 6 || parts[0] != "arn") return "";
  return parts[4];
}

Result<StsEndpoint> ResolveStsEndpoint(const Env& env, const AwsConfig& config,
                                       std::string_view profile) {
  std::string region;
  auto resolved = ResolveRegion(env, config, profile);
  if (resolved.ok()) {
    region = resolved->region;
  } else if (errc::Is(resolved.error(), errc::kRegionMissing)) {
    region = "us-east-1";
  } else {
    return std::move(resolved).error();
  }
  auto endpoint = ResolveEndpoint(env, config, profile, "sts", region);
  if (!endpoint.ok()) return std::move(endpoint).error();
  return StsEndpoint{endpoint->url, region, endpoint->origin};
}

StsClient::StsClient(const Env& env, HttpClient& http, StsEndpoint endpoint)
    : env_(env), http_(http), endpoint_(std::move(endpoint)) {}

Result<std::string> StsClient::Call(std::string_view action, const std::string& params,
                                    const Credentials* creds) {
  std::string body = "Action=" + std::string(action) + "&Version=" + kApiVersion;
  if (!params.empty()) body += "&" + params;
  std::string url = endpoint_.url;
  if (url.find('/', url.find("://") + 3) == std::string::npos) url += "/";
  Error last = MakeError("sts.unreachable", "", "");
  for (int attempt = 1; attempt <= kMaxAttempts; ++attempt) {
    HttpRequest request;
    request.method = "POST";
    request.url = url;
    request.headers = {{"Content-Type", "application/x-www-form-urlencoded; charset=utf-8"}};
    request.body = body;
    request.connect_timeout = std::chrono::seconds(10);
    request.total_timeout = std::chrono::seconds(30);
    request.max_response_bytes = kCredentialResponseMaxBytes;
    if (creds) {
      SigV4Params p;
      p.region = endpoint_.region;
      p.service = "sts";
      p.time = env_.Now();
      SignRequest(request, *creds, p);
    }
    auto response = http_.Send(request);
    if (!response.ok()) {
      const Error& net = response.error();
      last = MakeError("sts.unreachable",
                       std::string(action) + " via " + endpoint_.url + " (" + endpoint_.origin +
                           ") failed: " + net.message,
                       "check the network connection, proxy settings (HTTPS_PROXY) and "
                       "AWS_ENDPOINT_URL_STS");
      last.retryable = net.retryable;
      if (!net.retryable) return last;
    } else if (response->status >= 200 && response->status < 300) {
      return std::move(response->body);
    } else {
      last = MapStsError(ParseStsError(response->status, response->body), action, endpoint_.url);
      if (!last.retryable) return last;
    }
    if (attempt < kMaxAttempts) {
      // Env::SleepFor is not const; every Env brock creates (RealEnv, FakeEnv) is mutable.
      const_cast<Env&>(env_).SleepFor(std::chrono::milliseconds(200 << (attempt - 1)));
    }
  }
  return last;
}

Result<Credentials> StsClient::AssumeRole(const Credentials& source, const AssumeRoleRequest& r) {
  std::vector<std::pair<std::string, std::string>> params = {
      {"RoleArn", r.role_arn}, {"RoleSessionName", r.role_session_name}};
  if (r.duration_seconds)
    params.emplace_back("DurationSeconds", std::to_string(*r.duration_seconds));
  if (!r.external_id.empty()) params.emplace_back("ExternalId", r.external_id);
  if (!r.serial_number.empty()) {
    params.emplace_back("SerialNumber", r.serial_number);
    params.emplace_back("TokenCode", r.token_code);
  }
  auto body = Call("AssumeRole", FormEncode(params), &source);
  if (!body.ok()) return std::move(body).error();
  return ParseCredentialsXml(*body, "AssumeRole");
}

Result<Credentials> StsClient::AssumeRoleWithWebIdentity(
    const AssumeRoleWithWebIdentityRequest& r) {
  RegisterSecret(r.web_identity_token);
  std::vector<std::pair<std::string, std::string>> params = {
      {"RoleArn", r.role_arn},
      {"RoleSessionName", r.role_session_name},
      {"WebIdentityToken", r.web_identity_token}};
  if (r.duration_seconds)
    params.emplace_back("DurationSeconds", std::to_string(*r.duration_seconds));
  auto body = Call("AssumeRoleWithWebIdentity", FormEncode(params), nullptr);
  if (!body.ok()) return std::move(body).error();
  return ParseCredentialsXml(*body, "AssumeRoleWithWebIdentity");
}

Result<CallerIdentity> StsClient::GetCallerIdentity(const Credentials& creds) {
  auto body = Call("GetCallerIdentity", "", &creds);
  if (!body.ok()) return std::move(body).error();
  pugi::xml_document doc;
  if (!doc.load_buffer(body->data(), body->size())) {
    return MakeError(
        "sts.bad_response", "GetCallerIdentity answered with XML brock cannot parse",
        "check that the STS endpoint (AWS_ENDPOINT_URL_STS, endpoint_url) is really STS");
  }
  pugi::xml_node result = FindElement(doc, "GetCallerIdentityResult");
  CallerIdentity id{Text(result, "Account"), Text(result, "Arn"), Text(result, "UserId")};
  if (id.arn.empty()) {
    return MakeError(
        "sts.bad_response", "GetCallerIdentity answered without an Arn",
        "check that the STS endpoint (AWS_ENDPOINT_URL_STS, endpoint_url) is really STS");
  }
  return id;
}

}  // namespace brock
