#include "emulator/script_runner.h"

#include <cstdio>
#include <nlohmann/json.hpp>

#include "base/strings.h"
#include "emulator/thinking_blocks.h"

namespace brock {

int64_t EstimateTokens(size_t chars) { return std::max<int64_t>(1, (chars + 3) / 4); }

std::string DefaultReplyText(const RequestView& view) {
  const std::string& prompt = view.last_user_text.empty() && view.has_tool_result
                                  ? view.last_tool_result
                                  : view.last_user_text;
  if (ToLower(prompt).find("garden state") != std::string::npos) {
    return "New Jersey is known as the Garden State.";
  }
  std::string prefix(Trim(prompt).substr(0, 40));
  for (char& c : prefix) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
  }
  if (view.last_user_text.empty() && view.has_tool_result) {
    return "Emulator reply to tool result: " + prefix;
  }
  return "Emulator reply to: " + prefix;
}

ScriptRunner::ScriptRunner(std::optional<Script> script) : script_(std::move(script)) {
  if (script_) state_.resize(script_->rules.size());
}

namespace {

std::string Id(const char* prefix, uint64_t n) {
  char buf[64];
  snprintf(buf, sizeof(buf), "%s%024llx", prefix, static_cast<unsigned long long>(n * 7919 + 1));
  return buf;
}

void FillUsage(ModelReply& reply, const RequestView& view, const ScriptRule* rule) {
  size_t out_chars = 0;
  for (const auto& b : reply.content) out_chars += b.text.size() + b.tool_input_json.size();
  reply.usage.input_tokens = EstimateTokens(view.prompt_chars);
  reply.usage.output_tokens = EstimateTokens(out_chars);
  if (!rule) return;
  if (rule->input_tokens) reply.usage.input_tokens = *rule->input_tokens;
  if (rule->output_tokens) reply.usage.output_tokens = *rule->output_tokens;
  reply.usage.cache_read_input_tokens = rule->cache_read_input_tokens;
  reply.usage.cache_creation_input_tokens = rule->cache_creation_input_tokens;
}

// What the reply's thinking is about: the prompt, or after tool calls the last tool result.
std::string PromptOf(const RequestView& view) {
  return view.last_user_text.empty() && view.has_tool_result ? view.last_tool_result
                                                             : view.last_user_text;
}

}  // namespace

Decision ScriptRunner::Decide(const nlohmann::json& body, const std::string& model_id,
                              bool streaming) {
  RequestView view = ViewRequest(body);
  view.model_id = model_id;
  std::lock_guard<std::mutex> lock(mu_);
  uint64_t n = next_id_++;
  Decision d;
  d.reply.message_id = Id("msg_bdrk_", n);
  d.reply.model = ModelNameFromId(model_id);
  if (!script_) {
    d.rule_name = "default";
    d.reply.content.push_back(
        {ReplyBlock::Kind::kText, DefaultReplyText(view), "", "", "", "", ""});
    ApplyThinking(body, view.has_tool_result, PromptOf(view), d.reply);
    FillUsage(d.reply, view, nullptr);
    return d;
  }
  for (size_t i = 0; i < script_->rules.size(); ++i) {
    const ScriptRule& rule = script_->rules[i];
    RuleState& st = state_[i];
    if (rule.times >= 0 && st.replies >= rule.times) continue;
    if (!RuleMatches(rule, view)) continue;
    d.rule_name = rule.name;
    const FaultSpec& f = rule.faults;
    if (f.error && (f.error_times < 0 || st.errors < f.error_times)) {
      ++st.errors;
      d.error = *f.error;
      return d;
    }
    if (rule.content.empty()) continue;  // an error-only rule whose errors are used up
    ++st.replies;
    d.reply.content = rule.content;
    int tool_n = 0;
    for (auto& b : d.reply.content) {
      if (b.kind == ReplyBlock::Kind::kToolUse && b.tool_id.empty()) {
        b.tool_id = Id("toolu_bdrk_", n * 16 + static_cast<uint64_t>(tool_n++));
      }
    }
    d.reply.stop_reason = rule.stop_reason;
    if (d.reply.stop_reason.empty()) {
      d.reply.stop_reason = tool_n > 0 || std::any_of(rule.content.begin(), rule.content.end(),
                                                      [](const ReplyBlock& b) {
                                                        return b.kind == ReplyBlock::Kind::kToolUse;
                                                      })
                                ? "tool_use"
                                : "end_turn";
    }
    ApplyThinking(body, view.has_tool_result, PromptOf(view), d.reply);
    FillUsage(d.reply, view, &rule);
    d.stream_faults.delay_ms_per_event = f.delay_ms_per_event;
    if (streaming && f.HasStreamFault() &&
        (f.stream_fault_times < 0 || st.stream_faults < f.stream_fault_times)) {
      ++st.stream_faults;
      d.stream_faults = f;
      d.stream_faults.error.reset();
    }
    return d;
  }
  std::string prompt(view.last_user_text.substr(0, 60));
  d.rule_name = "(no rule matched)";
  d.error = ErrorReply{"ValidationException", 400,
                       "Emulator script: no rule matches the request (last user text: \"" + prompt +
                           "\"" + (view.has_tool_result ? ", with a tool_result" : "") + ")"};
  return d;
}

}  // namespace brock
