#include "emulator/sts_service.h"

#include <cctype>

#include "aws/credential_time.h"
#include "aws/uri.h"
#include "base/crypto.h"
#include "base/strings.h"

namespace brock {

namespace {

constexpr char kVersion[] = "2011-06-15";
constexpr char kXmlns[] = "https://sts.amazonaws.com/doc/2011-06-15/";

std::string NewRequestId() {
  std::string h = HexEncode(RandomBytes(16));
  return h.substr(0, 8) + "-" + h.substr(8, 4) + "-" + h.substr(12, 4) + "-" + h.substr(16, 4) +
         "-" + h.substr(20, 12);
}

std::string UpperHex(std::string_view data, size_t n) {
  std::string h = Sha256Hex(data).substr(0, n);
  for (char& c : h) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return h;
}

// An STS error: status, code and message.
struct StsError {
  int status;
  std::string code;
  std::string message;
};

StsError MapAuthError(const AuthOutcome& auth) {
  const std::string& t = auth.error_type;
  if (t == "MissingAuthenticationTokenException") {
    return {403, "MissingAuthenticationToken", "Request is missing Authentication Token"};
  }
  if (t == "ExpiredTokenException") {
    return {400, "ExpiredToken", "The security token included in the request is expired"};
  }
  if (t == "UnrecognizedClientException") {
    return {403, "InvalidClientTokenId", "The security token included in the request is invalid."};
  }
  if (t == "IncompleteSignatureException") return {400, "IncompleteSignature", auth.message};
  if (t == "InvalidSignatureException") {
    std::string m = auth.message;
    if (m.find("scoped") == std::string::npos && m.find("expired") == std::string::npos &&
        m.find("Signature expired") == std::string::npos) {
      m = "The request signature we calculated does not match the signature you provided. Check "
          "your AWS Secret Access Key and signing method. Consult the service documentation for "
          "details.";
    }
    return {403, "SignatureDoesNotMatch", m};
  }
  return {403, "AccessDenied", auth.message};
}

void SendXml(ResponseWriter& w, int status, const std::string& request_id, const std::string& xml) {
  w.Send(status, {{"Content-Type", "text/xml"}, {"x-amzn-RequestId", request_id}}, xml);
}

std::string ErrorXml(const StsError& e, const std::string& request_id) {
  return std::string("<ErrorResponse xmlns=\"") + kXmlns + "\">\n  <Error>\n    <Type>Sender</Type>\n"
         "    <Code>" + XmlEscape(e.code) + "</Code>\n    <Message>" + XmlEscape(e.message) +
         "</Message>\n  </Error>\n  <RequestId>" + request_id + "</RequestId>\n</ErrorResponse>\n";
}

std::string CredentialsXml(const IssuedCredential& c) {
  return "    <Credentials>\n      <AccessKeyId>" + c.access_key_id + "</AccessKeyId>\n"
         "      <SecretAccessKey>" + XmlEscape(c.secret_access_key) + "</SecretAccessKey>\n"
         "      <SessionToken>" + XmlEscape(c.session_token) + "</SessionToken>\n"
         "      <Expiration>" + FormatIso8601(c.expires_at) + "</Expiration>\n    </Credentials>\n";
}

std::string AssumedRoleUserXml(const IssuedCredential& c) {
  return "    <AssumedRoleUser>\n      <AssumedRoleId>" + XmlEscape(c.user_id) + "</AssumedRoleId>\n"
         "      <Arn>" + XmlEscape(c.arn) + "</Arn>\n    </AssumedRoleUser>\n";
}

std::string Validation(const std::string& field, const std::string& value,
                       const std::string& constraint) {
  return "1 validation error detected: Value " + (value.empty() ? "null" : "'" + value + "'") +
         " at '" + field + "' failed to satisfy constraint: " + constraint;
}

struct RoleArnParts {
  std::string partition, account, name;
};

// "arn:aws:iam::123456789012:role/path/Name" -> {aws, 123456789012, Name}.
std::optional<RoleArnParts> ParseRoleArn(const std::string& arn) {
  std::vector<std::string> parts = Split(arn, ':');
  if (parts.size() != 6 || parts[0] != "arn" || parts[1].rfind("aws", 0) != 0 || parts[2] != "iam" ||
      !parts[3].empty() || parts[4].size() != 12 || !StartsWith(parts[5], "role/") ||
      parts[5].size() <= 5 || parts[5].back() == '/') {
    return std::nullopt;
  }
  for (char c : parts[4]) {
    if (!std::isdigit(static_cast<unsigned char>(c))) return std::nullopt;
  }
  return RoleArnParts{parts[1], parts[4], parts[5].substr(parts[5].rfind('/') + 1)};
}

bool ValidSessionName(const std::string& name) {
  if (name.size() < 2 || name.size() > 64) return false;
  for (char c : name) {
    if (!std::isalnum(static_cast<unsigned char>(c)) && std::string_view("_+=,.@-").find(c) == std::string_view::npos) {
      return false;
    }
  }
  return true;
}

std::string RedactForm(const std::string& body) {
  std::string out;
  for (const std::string& pair : Split(body, '&')) {
    if (!out.empty()) out += '&';
    size_t eq = pair.find('=');
    if (eq != std::string::npos && UriDecode(pair.substr(0, eq)) == "WebIdentityToken") {
      out += pair.substr(0, eq + 1) + "[REDACTED]";
    } else {
      out += pair;
    }
  }
  return out;
}

}  // namespace

std::map<std::string, std::string> ParseFormBody(std::string_view body) {
  std::map<std::string, std::string> out;
  for (std::string pair : Split(body, '&')) {
    if (pair.empty()) continue;
    for (char& c : pair) {
      if (c == '+') c = ' ';
    }
    size_t eq = pair.find('=');
    out[UriDecode(pair.substr(0, eq))] = eq == std::string::npos ? "" : UriDecode(pair.substr(eq + 1));
  }
  return out;
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&apos;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

StsService::StsService(StsServiceOptions options, IssuedCredentialStore* issued, RequestRecorder* recorder)
    : options_(std::move(options)), issued_(issued), recorder_(recorder) {
  options_.auth.service = "sts";
  options_.auth.issued = issued_;
}

bool StsService::Handle(const HttpRequest& request, ResponseWriter& writer) {
  if (request.method != "POST") return false;
  size_t scheme = request.url.find("://");
  size_t path_start = request.url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  std::string target = path_start == std::string::npos ? "/" : request.url.substr(path_start);
  size_t q = target.find('?');
  if (target.substr(0, q) != "/") return false;
  std::map<std::string, std::string> params;
  if (q != std::string::npos) params = ParseFormBody(std::string_view(target).substr(q + 1));
  for (auto& [k, v] : ParseFormBody(request.body)) params[k] = v;
  auto param = [&params](const char* key) {
    auto it = params.find(key);
    return it == params.end() ? std::string() : it->second;
  };
  std::string action = param("Action");
  if (action.empty()) return false;

  std::string request_id = NewRequestId();
  RecordedRequest record;
  record.method = request.method;
  record.path = q == std::string::npos ? target : target.substr(0, q) + "?" + RedactForm(target.substr(q + 1));
  record.operation = action;
  record.headers = RedactHeaders(request.headers);
  record.body = RedactForm(request.body);
  record.auth_kind = "none";

  auto fail = [&](const StsError& e) {
    record.status = e.status;
    record.error_type = e.code;
    recorder_->Record(record);
    SendXml(writer, e.status, request_id, ErrorXml(e, request_id));
  };
  auto succeed = [&](const std::string& result_xml) {
    record.status = 200;
    recorder_->Record(record);
    SendXml(writer, 200, request_id,
            "<" + action + "Response xmlns=\"" + kXmlns + "\">\n  <" + action + "Result>\n" +
                result_xml + "  </" + action + "Result>\n  <ResponseMetadata>\n    <RequestId>" +
                request_id + "</RequestId>\n  </ResponseMetadata>\n</" + action + "Response>\n");
  };

  std::string version = param("Version");
  bool known = action == "AssumeRole" || action == "AssumeRoleWithWebIdentity" ||
               action == "GetCallerIdentity";
  if (!known || version != kVersion) {
    fail({400, "InvalidAction",
          "Could not find operation " + action + " for version " + (version.empty() ? "NO_VERSION_SPECIFIED" : version)});
    return true;
  }

  // The caller (signed actions).
  std::string caller_arn, caller_user_id, caller_account = options_.account;
  if (action != "AssumeRoleWithWebIdentity") {
    AuthOutcome auth = CheckAuth(request, options_.auth, issued_->Now());
    record.auth_kind = auth.kind;
    record.access_key_id = auth.access_key_id;
    record.auth_ok = auth.ok;
    record.auth_error = auth.error_type;
    if (!auth.ok) {
      if (auth.kind == "bearer") {
        fail({400, "InvalidRequest", "Bearer tokens are not accepted by STS; sign the request with SigV4"});
      } else {
        fail(MapAuthError(auth));
      }
      return true;
    }
    std::optional<IssuedCredential> own = issued_->Find(auth.access_key_id);
    if (own && !options_.auth.access_keys.count(auth.access_key_id)) {
      caller_arn = own->arn;
      caller_user_id = own->user_id;
      std::vector<std::string> parts = Split(own->arn, ':');
      if (parts.size() > 4) caller_account = parts[4];
    } else {
      caller_user_id = "AIDA" + UpperHex("user/" + auth.access_key_id, 17);
      caller_arn = "arn:aws:iam::" + options_.account + ":user/emulator-user";
    }
  } else {
    record.auth_ok = true;
  }

  if (action == "GetCallerIdentity") {
    succeed("    <Arn>" + XmlEscape(caller_arn) + "</Arn>\n    <UserId>" + XmlEscape(caller_user_id) +
            "</UserId>\n    <Account>" + caller_account + "</Account>\n");
    return true;
  }

  // AssumeRole and AssumeRoleWithWebIdentity.
  std::string role_arn = param("RoleArn");
  std::string session = param("RoleSessionName");
  if (role_arn.size() < 20) {
    fail({400, "ValidationError",
          Validation("roleArn", role_arn,
                     role_arn.empty() ? "Member must not be null"
                                      : "Member must have length greater than or equal to 20")});
    return true;
  }
  std::optional<RoleArnParts> role = ParseRoleArn(role_arn);
  if (!role) {
    fail({400, "ValidationError", Validation("roleArn", role_arn, "Member must be a valid IAM role ARN")});
    return true;
  }
  if (session.empty()) {
    fail({400, "ValidationError", Validation("roleSessionName", "", "Member must not be null")});
    return true;
  }
  if (!ValidSessionName(session)) {
    fail({400, "ValidationError",
          Validation("roleSessionName", session,
                     "Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length "
                     "between 2 and 64")});
    return true;
  }
  if (std::string d = param("DurationSeconds"); !d.empty()) {
    char* end = nullptr;
    long n = std::strtol(d.c_str(), &end, 10);
    if (*end != '\0' || n < 900 || n > 43200) {
      fail({400, "ValidationError",
            Validation("durationSeconds", d,
                       n > 43200 ? "Member must have value less than or equal to 43200"
                                 : "Member must have value greater than or equal to 900")});
      return true;
    }
  }
  // MFA: a code must come with the device (STS checks the code itself; the emulator accepts any
  // six digits, so tests can see what brock sent).
  if (std::string serial = param("SerialNumber"); !serial.empty()) {
    std::string code = param("TokenCode");
    if (code.empty()) {
      fail({403, "AccessDenied", "MultiFactorAuthentication failed, unable to validate MFA code."});
      return true;
    }
    if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string::npos) {
      fail({400, "ValidationError",
            Validation("tokenCode", code, "Member must satisfy regular expression pattern: [\\d]* and have length 6")});
      return true;
    }
  }
  std::string token;
  if (action == "AssumeRoleWithWebIdentity") {
    token = param("WebIdentityToken");
    if (token.size() < 4) {
      fail({400, "ValidationError",
            Validation("webIdentityToken", "", token.empty() ? "Member must not be null"
                                                             : "Member must have length greater than or equal to 4")});
      return true;
    }
    if (!options_.web_identity_token.empty() && token != options_.web_identity_token) {
      fail({400, "InvalidIdentityToken", "The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request."});
      return true;
    }
  }
  if (options_.denied_roles.count(role_arn)) {
    std::string who = action == "AssumeRole" ? caller_arn : "arn:aws:sts::" + role->account + ":assumed-role/web-identity";
    fail({403, "AccessDenied",
          (action == "AssumeRole" ? "User: " + who + " is not authorized to perform: sts:AssumeRole on resource: "
                                  : std::string("Not authorized to perform sts:AssumeRoleWithWebIdentity on resource: ")) +
              role_arn});
    return true;
  }
  std::string assumed_arn = "arn:" + role->partition + ":sts::" + role->account + ":assumed-role/" +
                            role->name + "/" + session;
  std::string role_id = "AROA" + UpperHex("role/" + role_arn, 17);
  IssuedCredential c = issued_->Issue(assumed_arn, role_id + ":" + session, action);
  std::string result;
  if (action == "AssumeRoleWithWebIdentity") {
    result += "    <SubjectFromWebIdentityToken>emulator-subject-" + Sha256Hex(token).substr(0, 12) +
              "</SubjectFromWebIdentityToken>\n    <Audience>sts.amazonaws.com</Audience>\n";
    result += AssumedRoleUserXml(c) + CredentialsXml(c) + "    <Provider>emulator.local</Provider>\n";
  } else {
    result += AssumedRoleUserXml(c) + CredentialsXml(c) + "    <PackedPolicySize>6</PackedPolicySize>\n";
  }
  succeed(result);
  return true;
}

}  // namespace brock
