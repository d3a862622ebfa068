// The Bedrock runtime endpoints of the emulator:
//   POST /model/{modelId}/invoke                        InvokeModel
//   POST /model/{modelId}/invoke-with-response-stream   InvokeModelWithResponseStream
// Each request is authenticated (auth.h), its model id and Anthropic body validated, answered
// from the script (script_runner.h) with faults applied (faults.h), and recorded
// (request_log.h). Errors look as Bedrock sends them: HTTP status,
// "x-amzn-ErrorType: <Type>:http://internal.amazon.com/coral/com.amazon.bedrock/", and a JSON
// body {"message": "..."}.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "emulator/auth.h"
#include "emulator/http_server.h"
#include "emulator/request_log.h"
#include "emulator/script.h"
#include "emulator/script_runner.h"

namespace brock {

// (Named EmulatedRuntime*, not BedrockRuntime / RuntimeOptions: those are the bedrock layer's
// client types, and the brock binary links both layers; two classes of one name would break the
// one-definition rule.)
struct EmulatedRuntimeOptions {
  AuthConfig auth;
  // Model ids accepted (exact match after URL-decoding). Empty: any id containing
  // "anthropic.claude".
  std::vector<std::string> allowed_models;
  // Also accepted when allowed_models is empty: the catalog's application inference profile ARNs.
  std::vector<std::string> extra_model_ids;
  // "bedrock:InvokeModel" / "bedrock:InvokeModelWithResponseStream": AccessDeniedException.
  std::set<std::string> denied_actions;
  std::optional<Script> script;  // nullopt: the built-in default replies
};

class EmulatedRuntime {
 public:
  // `recorder` must outlive this object.
  EmulatedRuntime(EmulatedRuntimeOptions options, RequestRecorder* recorder);

  // The HttpHandler: answers one request.
  void Handle(const HttpRequest& request, ResponseWriter& writer);

 private:
  void Stream(const Decision& decision, ResponseWriter& writer, RecordedRequest& record);

  EmulatedRuntimeOptions options_;
  RequestRecorder* recorder_;
  ScriptRunner runner_;
};

// "" when `body` is a valid Anthropic-on-Bedrock Messages request, else the
// ValidationException message Bedrock would send. Besides the required keys and message roles it
// checks output_config.effort (low | medium | high | xhigh | max) and every cache_control
// ({"type":"ephemeral"}, with an optional "ttl" of "5m" or "1h").
std::string ValidateInvokeBody(const nlohmann::json& body);

// Sends a Bedrock-style error.
void SendBedrockError(ResponseWriter& writer, int status, const std::string& type,
                      const std::string& message, const std::string& request_id);

}  // namespace brock
