#include "aws/aws_error.h"

#include <pugixml.hpp>

#include <cctype>
#include <nlohmann/json.hpp>

#include "base/json.h"
#include "base/secrets.h"
#include "base/strings.h"

namespace brock {
namespace {

constexpr size_t kMaxMessageLength = 600;
constexpr size_t kMaxSnippetLength = 160;

// One line, whitespace runs collapsed, length capped, registered secrets scrubbed.
std::string OneLine(std::string_view text, size_t max_length = kMaxMessageLength) {
  std::string out;
  bool space = false;
  for (char ch : text) {
    if (std::isspace(static_cast<unsigned char>(ch)) || static_cast<unsigned char>(ch) < 0x20) {
      space = !out.empty();
      continue;
    }
    if (space) out.push_back(' ');
    space = false;
    out.push_back(ch);
  }
  if (out.size() > max_length) {
    out.resize(max_length);
    out += "...";
  }
  return ScrubSecrets(out);
}

// "com.amazonaws.bedrock#ValidationException:http://internal..." -> "ValidationException".
std::string CleanType(std::string_view type) {
  type = Trim(type);
  if (size_t colon = type.find(':'); colon != std::string_view::npos) type = type.substr(0, colon);
  if (size_t hash = type.rfind('#'); hash != std::string_view::npos) type = type.substr(hash + 1);
  return std::string(Trim(type));
}

// "authorization_pending" -> "AuthorizationPendingException" (SSO-OIDC's OAuth-style errors,
// named as the service's x-amzn-ErrorType header names them).
std::string OAuthErrorToType(std::string_view error) {
  std::string out;
  bool upper = true;
  for (char ch : error) {
    if (ch == '_' || ch == '-') {
      upper = true;
      continue;
    }
    out.push_back(upper ? static_cast<char>(std::toupper(static_cast<unsigned char>(ch))) : ch);
    upper = false;
  }
  return out.empty() ? out : out + "Exception";
}

std::string UpperFirst(std::string s) {
  if (!s.empty()) s[0] = static_cast<char>(std::toupper(static_cast<unsigned char>(s[0])));
  return s;
}

std::string GenericFix(std::string_view type, int http_status) {
  if (type == "AccessDeniedException" || type == "AccessDenied" || type == "ForbiddenException") {
    return "check that your AWS identity's IAM policy allows this action and that model access "
           "is enabled in the Bedrock console for this account and region";
  }
  if (type == "UnrecognizedClientException" || type == "InvalidSignatureException" ||
      type == "IncompleteSignatureException" || type == "SignatureDoesNotMatch" ||
      type == "InvalidClientTokenId" || type == "UnauthorizedException") {
    return "check your AWS credentials (AWS_PROFILE, ~/.aws/credentials, AWS_ACCESS_KEY_ID) and "
           "that your system clock is correct";
  }
  if (type == "ExpiredTokenException" || type == "ExpiredToken" || type == "RequestExpired" ||
      type == "TokenRefreshRequired" || type == "InvalidGrantException") {
    return "your AWS session has expired: sign in again (e.g. aws sso login) or refresh your "
           "credentials, then retry";
  }
  if (type == "ValidationException" || type == "InvalidParameterValue" ||
      type == "ValidationError" || type == "InvalidRequestException") {
    return "check the request settings (model ID, region, parameters) named in the message";
  }
  if (type == "ResourceNotFoundException") {
    return "check that the model or inference profile ID exists and is available in this region";
  }
  if (type == "ServiceQuotaExceededException") {
    return "wait and retry, or request a higher quota in the AWS Service Quotas console";
  }
  if (type == "ModelTimeoutException") {
    return "the model took too long to respond; retry, perhaps with a shorter request";
  }
  if (type == "ModelErrorException" || type == "ModelStreamErrorException") {
    return "the model failed while answering; retry the request";
  }
  if (IsRetryableAwsErrorType(type) || IsRetryableHttpStatus(http_status)) {
    return "AWS is busy or had a temporary fault; wait a moment and retry (brock retries "
           "automatically up to its retry limit)";
  }
  return "see the AWS message above; check your AWS credentials, region and model settings";
}

Error MakeAwsError(std::string type, std::string_view aws_message, int http_status) {
  Error e;
  e.code = "aws." + type;
  std::string text = OneLine(aws_message);
  e.message =
      text.empty() ? type + " (HTTP " + std::to_string(http_status) + ")" : type + ": " + text;
  e.fix = GenericFix(type, http_status);
  e.http_status = http_status;
  e.retryable = IsRetryableAwsErrorType(type) || IsRetryableHttpStatus(http_status);
  return e;
}

// For bodies that carry no AWS error type at all.
Error UnknownError(int http_status, std::string_view body) {
  std::string_view trimmed = Trim(body);
  std::string what;
  if (trimmed.empty()) {
    what = "HTTP " + std::to_string(http_status) + " with an empty body";
  } else if (StartsWith(trimmed, "<") &&
             ToLower(trimmed.substr(0, 200)).find("<html") != std::string::npos) {
    what = "HTTP " + std::to_string(http_status) +
           " with an HTML page instead of an AWS error (a proxy or gateway answered?)";
  } else {
    what = "HTTP " + std::to_string(http_status) +
           " with no AWS error type: " + OneLine(trimmed, kMaxSnippetLength);
  }
  Error e = MakeAwsError("UnknownError", what, http_status);
  if (!e.retryable) {
    e.fix =
        "check the endpoint and any proxy between brock and AWS (HTTPS_PROXY, "
        "ANTHROPIC_BEDROCK_BASE_URL, AWS_ENDPOINT_URL*); retry with --debug for details";
  }
  return e;
}

std::string JsonString(const nlohmann::json& body, const char* key) {
  auto it = body.find(key);
  if (it == body.end() || !it->is_string()) return "";
  return it->get<std::string>();
}

}  // namespace

bool IsRetryableAwsErrorType(std::string_view type) {
  static constexpr std::string_view kRetryable[] = {
      "ThrottlingException",
      "TooManyRequestsException",
      "ServiceUnavailableException",
      "InternalServerException",
      "ModelNotReadyException",
      "ModelStreamErrorException",
      "Throttling",
      "ThrottledException",
      "RequestThrottledException",
      "RequestLimitExceeded",
      "ServiceUnavailable",
      "InternalFailure",
      "InternalError",
      "RequestTimeout",
      "RequestTimeoutException",
      "SlowDownException",
  };
  for (std::string_view t : kRetryable) {
    if (type == t) return true;
  }
  return false;
}

bool IsRetryableHttpStatus(int http_status) {
  return http_status == 429 || http_status == 500 || http_status == 502 || http_status == 503 ||
         http_status == 504;
}

Error ParseAwsJsonError(int http_status, const HttpHeaders& headers, std::string_view body) {
  std::string type = CleanType(FindHeader(headers, "x-amzn-ErrorType"));
  nlohmann::json json = ParseJsonOrDiscarded(body);
  if (!json.is_object()) json = nlohmann::json::object();
  if (type.empty()) type = CleanType(JsonString(json, "__type"));
  if (type.empty()) type = CleanType(JsonString(json, "code"));
  if (type.empty()) type = CleanType(JsonString(json, "Code"));
  if (type.empty()) type = OAuthErrorToType(JsonString(json, "error"));
  if (type.empty()) return UnknownError(http_status, body);
  std::string message = JsonString(json, "message");
  if (message.empty()) message = JsonString(json, "Message");
  if (message.empty()) message = JsonString(json, "error_description");
  return MakeAwsError(type, message, http_status);
}

Error ErrorFromEventMessage(const EventMessage& message) {
  std::string message_type = message.StringHeader(":message-type");
  nlohmann::json json = ParseJsonOrDiscarded(message.payload);
  if (!json.is_object()) json = nlohmann::json::object();
  if (message_type == "exception") {
    std::string type = UpperFirst(CleanType(message.StringHeader(":exception-type")));
    if (type.empty()) type = "UnknownException";
    std::string text = JsonString(json, "message");
    if (text.empty()) text = JsonString(json, "Message");
    if (text.empty() && json.empty()) text = message.payload;
    // modelStreamErrorException carries the model's own status and message.
    auto status = json.find("originalStatusCode");
    if (status != json.end() && status->is_number_integer()) {
      text += " (model returned status " + std::to_string(status->get<int64_t>());
      std::string original = JsonString(json, "originalMessage");
      if (!original.empty() && original != text) text += ": " + original;
      text += ")";
    }
    Error e = MakeAwsError(type, text, 0);
    return e;
  }
  if (message_type == "error") {
    std::string type = UpperFirst(CleanType(message.StringHeader(":error-code")));
    if (type.empty()) type = "UnknownError";
    return MakeAwsError(type, message.StringHeader(":error-message"), 0);
  }
  std::string what = "unexpected event-stream message";
  if (!message_type.empty()) what += " of type \"" + OneLine(message_type, 40) + "\"";
  std::string event_type = message.StringHeader(":event-type");
  if (!event_type.empty()) what += " (event \"" + OneLine(event_type, 60) + "\")";
  Error e = MakeAwsError("UnexpectedEvent", what, 0);
  e.fix = "brock may be older than the service; update brock, or report this with --debug output";
  return e;
}

Error ParseAwsXmlError(int http_status, std::string_view body) {
  pugi::xml_document doc;
  pugi::xml_parse_result parsed = doc.load_buffer(body.data(), body.size());
  if (!parsed) return UnknownError(http_status, body);
  pugi::xml_node error = doc.child("ErrorResponse").child("Error");
  if (!error) error = doc.child("Error");
  std::string type = CleanType(error.child_value("Code"));
  if (type.empty()) return UnknownError(http_status, body);
  return MakeAwsError(type, error.child_value("Message"), http_status);
}

}  // namespace brock
