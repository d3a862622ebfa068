#include "emulator/auth.h"

#include "aws/sigv4.h"
#include "base/strings.h"

namespace brock {

std::string AccessKeyIdFromAuthorization(const std::string& authorization) {
  size_t pos = authorization.find("Credential=");
  if (pos == std::string::npos) return "";
  pos += 11;
  size_t end = authorization.find_first_of("/, ", pos);
  return authorization.substr(pos, end == std::string::npos ? std::string::npos : end - pos);
}

namespace {

AuthOutcome Fail(AuthOutcome out, std::string type, std::string message) {
  out.ok = false;
  out.status = 403;
  out.error_type = std::move(type);
  out.message = std::move(message);
  return out;
}

}  // namespace

AuthOutcome CheckAuth(const HttpRequest& request, const AuthConfig& config, Clock::time_point now) {
  AuthOutcome out;
  std::string authorization = FindHeader(request.headers, "Authorization");
  std::string lower = ToLower(authorization.substr(0, 7));
  if (authorization.empty()) {
    out.kind = "none";
  } else if (lower == "bearer ") {
    out.kind = "bearer";
  } else {
    out.kind = "sigv4";
    out.access_key_id = AccessKeyIdFromAuthorization(authorization);
  }
  if (config.no_auth) {
    out.ok = true;
    return out;
  }
  if (out.kind == "none") {
    return Fail(out, "MissingAuthenticationTokenException", "Missing Authentication Token");
  }
  if (out.kind == "bearer") {
    std::string token(Trim(std::string_view(authorization).substr(7)));
    if (!config.bearer_token.empty() && token == config.bearer_token) {
      out.ok = true;
      return out;
    }
    if (config.expired.count(token)) {
      return Fail(out, "ExpiredTokenException",
                  "The security token included in the request is expired");
    }
    return Fail(out, "AccessDeniedException",
                "Authentication failed: Please make sure your API Key is valid.");
  }
  std::string token = FindHeader(request.headers, "X-Amz-Security-Token");
  if (config.expired.count(out.access_key_id) || (!token.empty() && config.expired.count(token))) {
    return Fail(out, "ExpiredTokenException",
                "The security token included in the request is expired");
  }
  std::optional<IssuedCredential> issued;
  if (config.issued && !config.access_keys.count(out.access_key_id)) {
    issued = config.issued->Find(out.access_key_id);
    if (issued && config.issued->Expired(*issued)) {
      return Fail(out, "ExpiredTokenException",
                  "The security token included in the request is expired");
    }
  }
  SecretLookup lookup = [&config, &issued](const std::string& id) -> std::optional<std::string> {
    auto it = config.access_keys.find(id);
    if (it != config.access_keys.end()) return it->second;
    if (issued && issued->access_key_id == id) return issued->secret_access_key;
    return std::nullopt;
  };
  SigV4Verification v = VerifySigV4(request, lookup, now);
  if (!v.access_key_id.empty()) out.access_key_id = v.access_key_id;
  if (!v.ok) {
    std::string message = v.message;
    if (v.error_type == "UnrecognizedClientException") {
      message = "The security token included in the request is invalid.";
    }
    return Fail(out, v.error_type.empty() ? "InvalidSignatureException" : v.error_type, message);
  }
  if (issued) {
    if (v.session_token != issued->session_token) {
      return Fail(out, "UnrecognizedClientException",
                  "The security token included in the request is invalid.");
    }
  } else if (!config.session_token.empty() && v.session_token != config.session_token) {
    return Fail(out, "UnrecognizedClientException",
                "The security token included in the request is invalid.");
  }
  if (v.service != config.service) {
    return Fail(out, "InvalidSignatureException",
                "Credential should be scoped to correct service: '" + config.service + "'. ");
  }
  if (v.region != config.region) {
    return Fail(out, "InvalidSignatureException",
                "Credential should be scoped to a valid region. ");
  }
  out.ok = true;
  return out;
}

}  // namespace brock
