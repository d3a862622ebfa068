#include "emulator/sts_service.h"

#include <cctype>
#include <cstdlib>
#include <optional>
#include <variant>

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
  return std::string("<ErrorResponse xmlns=\"") + kXmlns +
         "\">\n  <Error>\n    <Type>Sender</Type>\n"
         "    <Code>" +
         XmlEscape(e.code) + "</Code>\n    <Message>" + XmlEscape(e.message) +
         "</Message>\n  </Error>\n  <RequestId>" + request_id + "</RequestId>\n</ErrorResponse>\n";
}

std::string CredentialsXml(const IssuedCredential& c) {
  return "    <Credentials>\n      <AccessKeyId>" + c.access_key_id +
         "</AccessKeyId>\n"
         "      <SecretAccessKey>" +
         XmlEscape(c.secret_access_key) +
         "</SecretAccessKey>\n"
         "      <SessionToken>" +
         XmlEscape(c.session_token) +
         "</SessionToken>\n"
         "      <Expiration>" +
         FormatIso8601(c.expires_at) + "</Expiration>\n    </Credentials>\n";
}

std::string AssumedRoleUserXml(const IssuedCredential& c) {
  return "    <AssumedRoleUser>\n      <AssumedRoleId>" + XmlEscape(c.user_id) +
         "</AssumedRoleId>\n"
         "      <Arn>" +
         XmlEscape(c.arn) + "</Arn>\n    </AssumedRoleUser>\n";
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
  if (parts.size() != 6 || parts[0] != "arn" || parts[1].rfind("aws", 0) != 0 ||
      parts[2] != "iam" || !parts[3].empty() || parts[4].size() != 12 ||
      !StartsWith(parts[5], "role/") || parts[5].size() <= 5 || parts[5].back() == '/') {
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
    if (!std::isalnum(static_cast<unsigned char>(c)) &&
        std::string_view("_+=,.@-").find(c) == std::string_view::npos) {
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
    out[UriDecode(pair.substr(0, eq))] =
        eq == std::string::npos ? "" : UriDecode(pair.substr(eq + 1));
  }
  return out;
}

std::string XmlEscape(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&':
        out += "&amp;";
        break;
      case '<':
        out += "&lt;";
        break;
      case '>':
        out += "&gt;";
        break;
      case '"':
        out += "&quot;";
        break;
      case '\'':
        out += "&apos;";
        break;
      default:
        out.push_back(c);
    }
  }
  return out;
}

namespace {

// An STS call as received: its target (path and query) and its parameters (query, then form
// body; the body wins).
struct StsRequest {
  std::string target;  // "/" or "/?..."
  std::map<std::string, std::string> params;
  std::string Param(const char* key) const {
    auto it = params.find(key);
    return it == params.end() ? std::string() : it->second;
  }
};

// The STS call in `request` (POST / with an Action= parameter), or nullopt when it is none.
std::optional<StsRequest> ParseStsRequest(const HttpRequest& request) {
  if (request.method != "POST") return std::nullopt;
  size_t scheme = request.url.find("://");
  size_t path_start = request.url.find('/', scheme == std::string::npos ? 0 : scheme + 3);
  StsRequest call;
  call.target = path_start == std::string::npos ? "/" : request.url.substr(path_start);
  size_t q = call.target.find('?');
  if (call.target.substr(0, q) != "/") return std::nullopt;
  if (q != std::string::npos)
    call.params = ParseFormBody(std::string_view(call.target).substr(q + 1));
  for (auto& [k, v] : ParseFormBody(request.body)) call.params[k] = v;
  if (call.Param("Action").empty()) return std::nullopt;
  return call;
}

// One answered call: records it in the request log and writes the XML answer.
class StsReply {
 public:
  StsReply(const HttpRequest& request, const StsRequest& call, ResponseWriter& writer,
           RequestRecorder* recorder)
      : writer_(writer),
        recorder_(recorder),
        request_id_(NewRequestId()),
        action_(call.Param("Action")) {
    size_t q = call.target.find('?');
    record_.method = request.method;
    record_.path = q == std::string::npos
                       ? call.target
                       : call.target.substr(0, q) + "?" + RedactForm(call.target.substr(q + 1));
    record_.operation = action_;
    record_.headers = RedactHeaders(request.headers);
    record_.body = RedactForm(request.body);
    record_.auth_kind = "none";
  }

  RecordedRequest& record() { return record_; }

  // Records and sends STS's <ErrorResponse>.
  void Fail(const StsError& e) {
    record_.status = e.status;
    record_.error_type = e.code;
    recorder_->Record(record_);
    SendXml(writer_, e.status, request_id_, ErrorXml(e, request_id_));
  }

  // Records and sends <ActionResponse><ActionResult>result_xml</ActionResult>...
  void Succeed(const std::string& result_xml) {
    record_.status = 200;
    recorder_->Record(record_);
    SendXml(writer_, 200, request_id_,
            "<" + action_ + "Response xmlns=\"" + kXmlns + "\">\n  <" + action_ + "Result>\n" +
                result_xml + "  </" + action_ + "Result>\n  <ResponseMetadata>\n    <RequestId>" +
                request_id_ + "</RequestId>\n  </ResponseMetadata>\n</" + action_ + "Response>\n");
  }

 private:
  ResponseWriter& writer_;
  RequestRecorder* recorder_;
  std::string request_id_;
  std::string action_;
  RecordedRequest record_;
};

// InvalidAction unless the action is one the emulator serves, at API version 2011-06-15.
std::optional<StsError> CheckActionAndVersion(const std::string& action,
                                              const std::string& version) {
  bool known = action == "AssumeRole" || action == "AssumeRoleWithWebIdentity" ||
               action == "GetCallerIdentity";
  if (known && version == kVersion) return std::nullopt;
  return StsError{400, "InvalidAction",
                  "Could not find operation " + action + " for version " +
                      (version.empty() ? "NO_VERSION_SPECIFIED" : version)};
}

// Who signed a call.
struct StsCaller {
  std::string arn, user_id, account;
};

// Checks the SigV4 signature (noting the outcome in `record`) and names the caller: the
// identity of credentials the emulator issued, or the emulator's IAM user for its static keys.
std::variant<StsCaller, StsError> AuthenticateCaller(const HttpRequest& request,
                                                     const StsServiceOptions& options,
                                                     const IssuedCredentialStore& issued,
                                                     RecordedRequest& record) {
  AuthOutcome auth = CheckAuth(request, options.auth, issued.Now());
  record.auth_kind = auth.kind;
  record.access_key_id = auth.access_key_id;
  record.auth_ok = auth.ok;
  record.auth_error = auth.error_type;
  if (!auth.ok) {
    if (auth.kind == "bearer") {
      return StsError{400, "InvalidRequest",
                      "Bearer tokens are not accepted by STS; sign the request with SigV4"};
    }
    return MapAuthError(auth);
  }
  StsCaller caller;
  caller.account = options.account;
  std::optional<IssuedCredential> own = issued.Find(auth.access_key_id);
  if (own && !options.auth.access_keys.count(auth.access_key_id)) {
    caller.arn = own->arn;
    caller.user_id = own->user_id;
    std::vector<std::string> parts = Split(own->arn, ':');
    if (parts.size() > 4) caller.account = parts[4];
  } else {
    caller.user_id = "AIDA" + UpperHex("user/" + auth.access_key_id, 17);
    caller.arn = "arn:aws:iam::" + options.account + ":user/emulator-user";
  }
  return caller;
}

// ValidationError (or, for a missing MFA code, AccessDenied) for the role, session, duration
// and MFA parameters of AssumeRole / AssumeRoleWithWebIdentity.
std::optional<StsError> ValidateRoleParams(const StsRequest& call) {
  std::string role_arn = call.Param("RoleArn");
  std::string session = call.Param("RoleSessionName");
  if (role_arn.size() < 20) {
    return StsError{
        400, "ValidationError",
        Validation("roleArn", role_arn,
                   role_arn.empty() ? "Member must not be null"
                                    : "Member must have length greater than or equal to 20")};
  }
  if (!ParseRoleArn(role_arn)) {
    return StsError{400, "ValidationError",
                    Validation("roleArn", role_arn, "Member must be a valid IAM role ARN")};
  }
  if (session.empty()) {
    return StsError{400, "ValidationError",
                    Validation("roleSessionName", "", "Member must not be null")};
  }
  if (!ValidSessionName(session)) {
    return StsError{
        400, "ValidationError",
        Validation("roleSessionName", session,
                   "Member must satisfy regular expression pattern: [\\w+=,.@-]* and have length "
                   "between 2 and 64")};
  }
  if (std::string d = call.Param("DurationSeconds"); !d.empty()) {
    char* end = nullptr;
    long n = std::strtol(d.c_str(), &end, 10);
    if (*end != '\0' || n < 900 || n > 43200) {
      return StsError{
          400, "ValidationError",
          Validation("durationSeconds", d,
                     n > 43200 ? "Member must have value less than or equal to 43200"
                               : "Member must have value greater than or equal to 900")};
    }
  }
  // MFA: a code must come with the device (STS checks the code itself; the emulator accepts any
  // six digits, so tests can see what brock sent).
  if (std::string serial = call.Param("SerialNumber"); !serial.empty()) {
    std::string code = call.Param("TokenCode");
    if (code.empty()) {
      return StsError{403, "AccessDenied",
                      "MultiFactorAuthentication failed, unable to validate MFA code."};
    }
    if (code.size() != 6 || code.find_first_not_of("0123456789") != std::string::npos) {
      return StsError{
          400, "ValidationError",
          Validation("tokenCode", code,
                     "Member must satisfy regular expression pattern: [\\d]* and have length 6")};
    }
  }
  return std::nullopt;
}

// ValidationError / InvalidIdentityToken for AssumeRoleWithWebIdentity's token.
std::optional<StsError> ValidateWebIdentityToken(const std::string& token,
                                                 const StsServiceOptions& options) {
  if (token.size() < 4) {
    return StsError{
        400, "ValidationError",
        Validation("webIdentityToken", "",
                   token.empty() ? "Member must not be null"
                                 : "Member must have length greater than or equal to 4")};
  }
  if (!options.web_identity_token.empty() && token != options.web_identity_token) {
    return StsError{400, "InvalidIdentityToken",
                    "The web identity token that was passed could not be validated by AWS. Get a "
                    "new identity token from the identity provider and then retry the request."};
  }
  return std::nullopt;
}

// AccessDenied for a role in options.denied_roles, worded as STS words it for `action`.
StsError RoleDenied(const std::string& action, const std::string& role_arn,
                    const RoleArnParts& role, const StsCaller& caller) {
  std::string who = action == "AssumeRole"
                        ? caller.arn
                        : "arn:aws:sts::" + role.account + ":assumed-role/web-identity";
  return StsError{
      403, "AccessDenied",
      (action == "AssumeRole"
           ? "User: " + who + " is not authorized to perform: sts:AssumeRole on resource: "
           : std::string("Not authorized to perform sts:AssumeRoleWithWebIdentity on resource: ")) +
          role_arn};
}

// The <...Result> body of a successful AssumeRole / AssumeRoleWithWebIdentity issuing `c`.
std::string AssumeRoleResultXml(const std::string& action, const IssuedCredential& c,
                                const std::string& token) {
  if (action == "AssumeRoleWithWebIdentity") {
    return "    <SubjectFromWebIdentityToken>emulator-subject-" + Sha256Hex(token).substr(0, 12) +
           "</SubjectFromWebIdentityToken>\n    <Audience>sts.amazonaws.com</Audience>\n" +
           AssumedRoleUserXml(c) + CredentialsXml(c) + "    <Provider>emulator.local</Provider>\n";
  }
  return AssumedRoleUserXml(c) + CredentialsXml(c) + "    <PackedPolicySize>6</PackedPolicySize>\n";
}

// Answers AssumeRole / AssumeRoleWithWebIdentity: validates, then issues credentials for the
// assumed role.
void AnswerAssumeRole(const StsRequest& call, const std::string& action, const StsCaller& caller,
                      const StsServiceOptions& options, IssuedCredentialStore& issued,
                      StsReply& reply) {
  if (std::optional<StsError> e = ValidateRoleParams(call)) return reply.Fail(*e);
  std::string token;
  if (action == "AssumeRoleWithWebIdentity") {
    token = call.Param("WebIdentityToken");
    if (std::optional<StsError> e = ValidateWebIdentityToken(token, options)) return reply.Fail(*e);
  }
  std::string role_arn = call.Param("RoleArn");
  std::string session = call.Param("RoleSessionName");
  RoleArnParts role = *ParseRoleArn(role_arn);
  if (options.denied_roles.count(role_arn))
    return reply.Fail(RoleDenied(action, role_arn, role, caller));
  std::string assumed_arn = "arn:" + role.partition + ":sts::" + role.account + ":assumed-role/" +
                            role.name + "/" + session;
  std::string role_id = "AROA" + UpperHex("role/" + role_arn, 17);
  IssuedCredential c = issued.Issue(assumed_arn, role_id + ":" + session, action);
  reply.Succeed(AssumeRoleResultXml(action, c, token));
}

}  // namespace

StsService::StsService(StsServiceOptions options, IssuedCredentialStore* issued,
                       RequestRecorder* recorder)
    : options_(std::move(options)), issued_(issued), recorder_(recorder) {
  options_.auth.service = "sts";
  options_.auth.issued = issued_;
}

bool StsService::Handle(const HttpRequest& request, ResponseWriter& writer) {
  std::optional<StsRequest> call = ParseStsRequest(request);
  if (!call) return false;
  std::string action = call->Param("Action");
  StsReply reply(request, *call, writer, recorder_);
  if (std::optional<StsError> e = CheckActionAndVersion(action, call->Param("Version"))) {
    reply.Fail(*e);
    return true;
  }
  StsCaller caller;
  if (action == "AssumeRoleWithWebIdentity") {
    reply.record().auth_ok = true;  // unsigned
  } else {
    auto outcome = AuthenticateCaller(request, options_, *issued_, reply.record());
    if (const StsError* e = std::get_if<StsError>(&outcome)) {
      reply.Fail(*e);
      return true;
    }
    caller = std::get<StsCaller>(outcome);
  }
  if (action == "GetCallerIdentity") {
    reply.Succeed("    <Arn>" + XmlEscape(caller.arn) + "</Arn>\n    <UserId>" +
                  XmlEscape(caller.user_id) + "</UserId>\n    <Account>" + caller.account +
                  "</Account>\n");
    return true;
  }
  AnswerAssumeRole(*call, action, caller, options_, *issued_, reply);
  return true;
}

}  // namespace brock
