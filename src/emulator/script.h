// Scripts: what the emulator answers. A script is an ordered list of rules; the first rule
// whose match fits the request (and that has uses left) decides the reply. The JSON format is
// documented in docs/emulator.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json_fwd.hpp>

#include "base/error.h"
#include "emulator/anthropic_reply.h"
#include "emulator/faults.h"

namespace brock {

// What a rule looks at. Every non-empty field must match (AND); a rule with none matches
// every request (a fallback).
struct MatchSpec {
  std::string contains;              // substring of the last user message's text
  std::string regex;                 // ECMAScript regex searched in that text
  std::string tool_result_contains;  // substring of the last tool_result's content
  std::string tool_result_regex;     // regex searched in that content
  std::string model;                 // substring of the model id in the request path
  bool IsFallback() const {
    return contains.empty() && regex.empty() && tool_result_contains.empty() &&
           tool_result_regex.empty() && model.empty();
  }
};

struct ScriptRule {
  std::string name;  // for the request log; "rule N" when not given
  MatchSpec match;
  std::vector<ReplyBlock> content;  // tool_use ids are filled in when empty
  std::string stop_reason;          // empty: "tool_use" if content has a tool_use, else "end_turn"
  // Usage overrides; unset counts are estimated from text lengths.
  std::optional<int64_t> input_tokens, output_tokens;
  int64_t cache_read_input_tokens = 0, cache_creation_input_tokens = 0;
  int times = -1;  // replies this rule may give (-1: unlimited); HTTP error replies don't count
  FaultSpec faults;
};

struct Script {
  std::vector<ScriptRule> rules;
};

// Parses a script: {"rules": [...]} or a bare array of rules. Errors (code "emulator.script")
// name `source` and the rule.
Result<Script> ParseScript(std::string_view json_text, std::string_view source);
// Reads and parses the file at `path`.
Result<Script> LoadScriptFile(const std::string& path);

// The parts of an InvokeModel request body that rules match on.
struct RequestView {
  std::string last_user_text;    // text blocks of the last user message, joined with "\n"
  bool has_tool_result = false;  // the last user message carries a tool_result
  std::string last_tool_result;  // the content of its last tool_result (text joined)
  size_t prompt_chars = 0;       // characters of system + all messages (for token estimates)
  std::string model_id;          // the model id from the request path (set by the caller)
};
RequestView ViewRequest(const nlohmann::json& body);

// True when `rule.match` fits `view`. A regex that fails to compile never matches (ParseScript
// already rejects such scripts).
bool RuleMatches(const ScriptRule& rule, const RequestView& view);

}  // namespace brock
