#include "emulator/thinking_blocks.h"

#include <nlohmann/json.hpp>

#include "base/crypto.h"
#include "base/strings.h"

namespace brock {

using nlohmann::json;

namespace {

// A fixed key, so that a conversation signed by one emulator run verifies in the next (a session
// resumed after the emulator restarted).
constexpr std::string_view kSigningKey = "brock-emulator-thinking-signature-key";
constexpr std::string_view kSignaturePrefix = "EmuSig1";
constexpr std::string_view kRedactedPrefix = "EmuRedacted1";
constexpr const char* kDocs =
    " Please consult our documentation at "
    "https://docs.claude.com/en/docs/build-with-claude/extended-thinking";

std::string RedactedMac(std::string_view payload) {
  return HmacSha256(kSigningKey, "redacted_thinking:" + std::string(payload));
}

bool ValidRedactedData(const std::string& data) {
  std::string raw;
  if (!Base64Decode(data, &raw) || !StartsWith(raw, kRedactedPrefix) ||
      raw.size() < kRedactedPrefix.size() + 32) {
    return false;
  }
  std::string payload =
      raw.substr(kRedactedPrefix.size(), raw.size() - kRedactedPrefix.size() - 32);
  return raw.substr(raw.size() - 32) == RedactedMac(payload);
}

bool IsThinkingBlock(const json& block) {
  std::string type = block.is_object() ? block.value("type", "") : "";
  return type == "thinking" || type == "redacted_thinking";
}

bool HasToolResult(const json& message) {
  if (!message.contains("content") || !message["content"].is_array()) return false;
  for (const json& b : message["content"]) {
    if (b.is_object() && b.value("type", "") == "tool_result") return true;
  }
  return false;
}

}  // namespace

std::string ThinkingSignature(std::string_view thinking) {
  return Base64Encode(std::string(kSignaturePrefix) + HmacSha256(kSigningKey, thinking));
}

std::string RedactedThinkingData(std::string_view seed) {
  std::string payload = Sha256(seed);
  return Base64Encode(std::string(kRedactedPrefix) + payload + RedactedMac(payload));
}

bool RequestsThinking(const json& body) {
  if (!body.is_object() || !body.contains("thinking") || !body["thinking"].is_object()) {
    return false;
  }
  std::string type = body["thinking"].value("type", "");
  return type == "enabled" || type == "adaptive";
}

bool RequestsAdaptiveThinking(const json& body) {
  return RequestsThinking(body) && body["thinking"].value("type", "") == "adaptive";
}

bool RequestsInterleavedThinking(const json& body) {
  if (!body.is_object() || !body.contains("anthropic_beta")) return false;
  const json& betas = body["anthropic_beta"];
  if (!betas.is_array()) return false;
  for (const json& b : betas) {
    if (b.is_string() && b.get<std::string>() == kInterleavedThinkingBeta) return true;
  }
  return false;
}

std::string ThinkingViolation(const json& body) {
  if (body.is_object() && body.contains("thinking")) {
    const json& t = body["thinking"];
    std::string type = t.is_object() ? t.value("type", "") : "";
    if (type != "enabled" && type != "adaptive" && type != "disabled") {
      return "thinking: Input tag '" + type +
             "' found using 'type' does not match any of the expected tags: 'enabled', "
             "'disabled', 'adaptive'";
    }
    if (type == "adaptive" && t.contains("budget_tokens")) {
      return "thinking.adaptive.budget_tokens: Extra inputs are not permitted";
    }
  }
  if (!RequestsThinking(body)) return "";
  const json& thinking = body["thinking"];
  if (!RequestsAdaptiveThinking(body)) {
    if (!thinking.contains("budget_tokens") || !thinking["budget_tokens"].is_number_integer()) {
      return "thinking.enabled.budget_tokens: Field required";
    }
    int64_t budget = thinking["budget_tokens"].get<int64_t>();
    if (budget < 1024) {
      return "thinking.enabled.budget_tokens: Input should be greater than or equal to 1024";
    }
    if (body.value("max_tokens", int64_t{0}) <= budget) {
      return std::string("max_tokens must be greater than thinking.budget_tokens.") + kDocs;
    }
  }
  const json& messages = body["messages"];
  for (size_t m = 0; m < messages.size(); ++m) {
    const json& msg = messages[m];
    if (msg.value("role", "") != "assistant" || !msg["content"].is_array()) continue;
    const json& content = msg["content"];
    for (size_t b = 0; b < content.size(); ++b) {
      const json& block = content[b];
      if (!block.is_object()) continue;
      std::string where = "messages." + std::to_string(m) + ".content." + std::to_string(b);
      std::string type = block.value("type", "");
      if (type == "thinking") {
        const json& text = block.contains("thinking") ? block["thinking"] : json();
        const json& sig = block.contains("signature") ? block["signature"] : json();
        if (!text.is_string() || !sig.is_string() ||
            sig.get<std::string>() != ThinkingSignature(text.get<std::string>())) {
          return where + ": Invalid `signature` in `thinking` block";
        }
      } else if (type == "redacted_thinking") {
        const json& data = block.contains("data") ? block["data"] : json();
        if (!data.is_string() || !ValidRedactedData(data.get<std::string>())) {
          return where + ": Invalid `data` in `redacted_thinking` block";
        }
      }
    }
  }
  // The assistant message answered by the last user message's tool results must start with its
  // thinking (the turn is still running, so the model needs its reasoning back).
  if (messages.size() >= 2 && HasToolResult(messages.back())) {
    size_t m = messages.size() - 2;
    const json& msg = messages[m];
    if (msg.value("role", "") == "assistant" && msg["content"].is_array() &&
        !msg["content"].empty() && !IsThinkingBlock(msg["content"][0])) {
      std::string found = msg["content"][0].is_object() ? msg["content"][0].value("type", "unknown")
                                                        : std::string("unknown");
      return "messages." + std::to_string(m) +
             ".content.0.type: Expected `thinking` or `redacted_thinking`, but found `" + found +
             "`. When `thinking` is enabled, a final `assistant` message must start with a "
             "thinking block (preceeding the lastmost set of `tool_use` and `tool_result` "
             "blocks). We recommend you include thinking blocks from previous turns. To avoid "
             "this requirement, disable `thinking`." +
             kDocs;
    }
  }
  return "";
}

void ApplyThinking(const json& body, bool after_tool_result, std::string_view prompt,
                   ModelReply& reply) {
  auto& content = reply.content;
  if (!RequestsThinking(body)) {
    std::erase_if(content, [](const ReplyBlock& b) {
      return b.kind == ReplyBlock::Kind::kThinking || b.kind == ReplyBlock::Kind::kRedactedThinking;
    });
    return;
  }
  bool scripted = false;
  for (const ReplyBlock& b : content) {
    scripted = scripted || b.kind == ReplyBlock::Kind::kThinking ||
               b.kind == ReplyBlock::Kind::kRedactedThinking;
  }
  if (!scripted &&
      (!after_tool_result || RequestsInterleavedThinking(body) || RequestsAdaptiveThinking(body))) {
    std::string about(Trim(prompt).substr(0, 60));
    for (char& c : about) {
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    ReplyBlock thinking;
    thinking.kind = ReplyBlock::Kind::kThinking;
    thinking.text = after_tool_result ? "The tool returned: " + about + ". Deciding the next step."
                                      : "The user asks: " + about + ". Working out the answer.";
    content.insert(content.begin(), std::move(thinking));
  }
  for (ReplyBlock& b : content) {
    if (b.kind == ReplyBlock::Kind::kThinking) {
      b.signature = ThinkingSignature(b.text);
    } else if (b.kind == ReplyBlock::Kind::kRedactedThinking) {
      b.data = RedactedThinkingData(reply.message_id + ":" + std::to_string(&b - content.data()));
    }
  }
}

}  // namespace brock
