// StructuredOutputSink: --json-schema's result. It passes every event on to the sink it wraps
// and puts the StructuredOutput tool's answer (agent/tool_structured_output.h) into each result;
// a turn that ends without one is an error (subtype error_max_structured_output_retries), as in
// Claude Code.
#pragma once

#include <memory>

#include "agent/agent_events.h"
#include "base/json.h"

namespace brock {

class StructuredOutputSink : public AgentSink {
 public:
  StructuredOutputSink(AgentSink& inner, std::shared_ptr<Json> answer)
      : inner_(inner), answer_(std::move(answer)) {}
  void OnInit(const SessionInfo& info) override { inner_.OnInit(info); }
  void OnTextDelta(std::string_view t) override { inner_.OnTextDelta(t); }
  void OnThinkingDelta(std::string_view t) override { inner_.OnThinkingDelta(t); }
  void OnAssistantMessage(const ModelReply& r) override { inner_.OnAssistantMessage(r); }
  void OnUserMessage(const Message& m) override { inner_.OnUserMessage(m); }
  void OnRetry(const Error& c, int n, std::chrono::milliseconds d) override {
    inner_.OnRetry(c, n, d);
  }
  void OnCompactBoundary(std::string_view t, int64_t p) override { inner_.OnCompactBoundary(t, p); }
  void OnModelFallback(std::string_view f, std::string_view t, const Error& c) override {
    inner_.OnModelFallback(f, t, c);
  }
  void OnWarning(std::string_view text) override { inner_.OnWarning(text); }
  void OnHook(const HookNotice& notice) override { inner_.OnHook(notice); }
  void OnResult(const RunResult& result) override;

 private:
  AgentSink& inner_;
  std::shared_ptr<Json> answer_;
};

}  // namespace brock
