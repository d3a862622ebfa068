#include "emulator/faults.h"

#include <cctype>
#include <nlohmann/json.hpp>

namespace brock {

using nlohmann::json;

int DefaultStatusForError(std::string_view type) {
  std::string t(type);
  if (!t.empty()) t[0] = static_cast<char>(toupper(static_cast<unsigned char>(t[0])));
  if (t == "ThrottlingException" || t == "ModelNotReadyException") return 429;
  if (t == "AccessDeniedException" || t == "ExpiredTokenException" ||
      t == "UnrecognizedClientException" || t == "InvalidSignatureException" ||
      t == "IncompleteSignatureException")
    return 403;
  if (t == "ResourceNotFoundException") return 404;
  if (t == "ModelTimeoutException") return 408;
  if (t == "ModelErrorException" || t == "ModelStreamErrorException") return 424;
  if (t == "InternalServerException") return 500;
  if (t == "ServiceUnavailableException") return 503;
  return 400;
}

std::string DefaultMessageForError(std::string_view type) {
  std::string t(type);
  if (!t.empty()) t[0] = static_cast<char>(toupper(static_cast<unsigned char>(t[0])));
  if (t == "ThrottlingException") return "Too many requests, please wait before trying again.";
  if (t == "ServiceUnavailableException") return "Bedrock is unable to process your request.";
  if (t == "InternalServerException") return "The server encountered an internal error.";
  if (t == "ModelTimeoutException") return "Model has timed out in processing the request.";
  if (t == "ModelStreamErrorException") return "The model stream encountered an error.";
  if (t == "AccessDeniedException")
    return "You don't have access to the model with the specified model ID.";
  if (t == "ResourceNotFoundException") return "The requested resource could not be found.";
  if (t == "ServiceQuotaExceededException")
    return "Your request exceeds the service quota for your account.";
  if (t == "ExpiredTokenException") return "The security token included in the request is expired";
  return "The request was rejected.";
}

std::string StreamExceptionName(std::string_view type) {
  std::string t(type);
  if (!t.empty()) t[0] = static_cast<char>(tolower(static_cast<unsigned char>(t[0])));
  return t;
}

namespace {

Error Bad(std::string_view where, const std::string& what) {
  return MakeError("emulator.script", std::string(where) + ": " + what,
                   "see docs/emulator.md for the script format");
}

Result<int> NonNegativeInt(const json& rule, const char* key, std::string_view where) {
  const json& v = rule.at(key);
  if (!v.is_number_integer() || v.get<int64_t>() < 0) {
    return Bad(where, std::string("\"") + key + "\" must be a non-negative integer");
  }
  return v.get<int>();
}

}  // namespace

Result<FaultSpec> ParseFaults(const json& rule, std::string_view where) {
  FaultSpec spec;
  if (rule.contains("error")) {
    const json& e = rule["error"];
    if (!e.is_object() || !e.contains("type") || !e["type"].is_string()) {
      return Bad(where, "\"error\" must be an object with a string \"type\"");
    }
    ErrorReply err;
    err.type = e["type"].get<std::string>();
    err.status = DefaultStatusForError(err.type);
    err.message = DefaultMessageForError(err.type);
    if (e.contains("status")) {
      if (!e["status"].is_number_integer() || e["status"].get<int>() < 400 ||
          e["status"].get<int>() > 599) {
        return Bad(where, "\"error.status\" must be an HTTP error status (400-599)");
      }
      err.status = e["status"].get<int>();
    }
    if (e.contains("message")) {
      if (!e["message"].is_string()) return Bad(where, "\"error.message\" must be a string");
      err.message = e["message"].get<std::string>();
    }
    spec.error = err;
  }
  if (rule.contains("error_times")) {
    auto n = NonNegativeInt(rule, "error_times", where);
    if (!n) return n.error();
    spec.error_times = *n;
  }
  if (rule.contains("exception_frame")) {
    const json& e = rule["exception_frame"];
    if (!e.is_object() || !e.contains("type") || !e["type"].is_string()) {
      return Bad(where, "\"exception_frame\" must be an object with a string \"type\"");
    }
    ExceptionFrameFault f;
    f.type = StreamExceptionName(e["type"].get<std::string>());
    f.message = e.value("message", DefaultMessageForError(e["type"].get<std::string>()));
    if (e.contains("after_events")) {
      auto n = NonNegativeInt(e, "after_events", where);
      if (!n) return n.error();
      f.after_events = *n;
    }
    spec.exception_frame = f;
  }
  for (auto [key, field] :
       {std::pair{"drop_after_events", &spec.drop_after_events},
        std::pair{"corrupt_crc_after_events", &spec.corrupt_crc_after_events}}) {
    if (rule.contains(key)) {
      auto n = NonNegativeInt(rule, key, where);
      if (!n) return n.error();
      *field = *n;
    }
  }
  if (rule.contains("stream_fault_times")) {
    auto n = NonNegativeInt(rule, "stream_fault_times", where);
    if (!n) return n.error();
    spec.stream_fault_times = *n;
  }
  if (rule.contains("delay_ms_per_event")) {
    auto n = NonNegativeInt(rule, "delay_ms_per_event", where);
    if (!n) return n.error();
    spec.delay_ms_per_event = *n;
  }
  return spec;
}

}  // namespace brock
