// ScriptRunner: picks the reply for one request from a Script (or the built-in default), and
// keeps the per-rule counters (times, error_times, stream_fault_times). Thread-safe.
#pragma once

#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "emulator/anthropic_reply.h"
#include "emulator/faults.h"
#include "emulator/script.h"

namespace brock {

struct Decision {
  std::string rule_name;            // "default" for the built-in reply
  std::optional<ErrorReply> error;  // set: answer with this HTTP error instead of a reply
  ModelReply reply;                 // the reply (when no error)
  FaultSpec stream_faults;          // stream faults to apply (cleared when used up)
};

class ScriptRunner {
 public:
  // nullopt: the built-in default (the Garden State answer, else an echo of the prompt).
  explicit ScriptRunner(std::optional<Script> script);

  // Decides the reply to `body` (a validated InvokeModel body) for `model_id`. Stream faults
  // are only handed out (and counted) when `streaming`. A script whose
  // rules all miss (or are used up) answers with a 400 ValidationException naming the prompt
  // prefix, so a test sees which request was unexpected.
  Decision Decide(const nlohmann::json& body, const std::string& model_id, bool streaming);

 private:
  struct RuleState {
    int replies = 0, errors = 0, stream_faults = 0;
  };
  std::optional<Script> script_;
  std::vector<RuleState> state_;
  std::mutex mu_;
  uint64_t next_id_ = 1;
};

// The built-in answer text for a prompt: "New Jersey is known as the Garden State." when the
// prompt mentions the Garden State, else "Emulator reply to: <first 40 chars of the prompt>".
std::string DefaultReplyText(const RequestView& view);

// Rough token count for `chars` characters of text (about 4 per token, at least 1).
int64_t EstimateTokens(size_t chars);

}  // namespace brock
