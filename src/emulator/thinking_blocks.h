// Extended thinking in the emulator, as Bedrock's Anthropic models do it: when a request turns
// thinking on ({"thinking":{"type":"enabled","budget_tokens":N}}), each reply starts with a
// thinking block carrying a signature (and a scripted redacted_thinking block carries opaque
// data), and a follow-up request must send those blocks back unchanged. The signature is an
// HMAC of the thinking text under a fixed emulator key, so a block whose text or signature was
// altered fails the check, as it does on Bedrock. The rules and messages are documented in
// docs/emulator.md ("Extended thinking").
#pragma once

#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "emulator/anthropic_reply.h"

namespace brock {

// The beta that lets the model think between tool calls (after a tool_result).
inline constexpr std::string_view kInterleavedThinkingBeta = "interleaved-thinking-2025-05-14";

// The signature the emulator gives a thinking block with `thinking` as its text.
std::string ThinkingSignature(std::string_view thinking);
// Opaque, verifiable data for a redacted_thinking block; `seed` makes it unique per reply.
std::string RedactedThinkingData(std::string_view seed);

// True when the body asks for extended thinking: {"type":"enabled","budget_tokens":N} or
// {"type":"adaptive"} (which thinks between tool calls without the interleaved beta).
bool RequestsThinking(const nlohmann::json& body);
// True when the body asks for adaptive thinking.
bool RequestsAdaptiveThinking(const nlohmann::json& body);
// True when the body carries the interleaved-thinking beta in "anthropic_beta".
bool RequestsInterleavedThinking(const nlohmann::json& body);

// The message of the 400 ValidationException Bedrock answers for the thinking rules `body`
// breaks, or "" when it keeps them: a thinking type of enabled, adaptive or disabled (adaptive
// without budget_tokens); for enabled, budget_tokens at least 1024 and below max_tokens; every
// thinking block's signature and every redacted_thinking block's data as the emulator issued
// them; and, when the last user message carries tool results, the assistant message before it
// starting with a thinking or redacted_thinking block. Only checked when thinking is on.
std::string ThinkingViolation(const nlohmann::json& body);

// Gives `reply` its thinking for a request that turned thinking on: signs scripted thinking
// blocks, and adds a thinking block first when the script gave none (except after tool results
// without the interleaved beta or adaptive thinking, where the model does not think again). For a
// request without thinking, scripted thinking blocks are dropped. `prompt` is what the thinking is
// about.
void ApplyThinking(const nlohmann::json& body, bool after_tool_result, std::string_view prompt,
                   ModelReply& reply);

}  // namespace brock
