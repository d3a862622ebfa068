// ToolHooks: callbacks around each tool call, for a program that drives brock (the Agent SDK's
// `hooks` option, answered over the stream-json control protocol). PreToolUse runs before the
// permission check and may deny the call (the reason goes to the model as the tool's error),
// replace its input, or let it go on; PostToolUse sees the result. A hook's "allow" does not
// skip the permission rules: the call is still checked (deny rules always hold). Implementations
// are thread-safe: read-only tools run in parallel.
#pragma once

#include <string>

#include "base/json.h"
#include "base/json_box.h"

namespace brock {

struct ToolHookVerdict {
  enum class Decision { kContinue, kAllow, kDeny };
  Decision decision = Decision::kContinue;
  std::string reason;     // kDeny: why (for the model and permission_denials)
  JsonBox updated_input;  // an object: run the tool with this input instead (null: unchanged)
};

class ToolHooks {
 public:
  virtual ~ToolHooks() = default;
  virtual ToolHookVerdict PreToolUse(const std::string& tool_name, const Json& input,
                                     const std::string& tool_use_id) = 0;
  // `result` is the tool_result block's JSON.
  virtual void PostToolUse(const std::string& tool_name, const Json& input,
                           const std::string& tool_use_id, const Json& result) = 0;
};

}  // namespace brock
