#include "bedrock/model_table.h"

#include "base/strings.h"

namespace brock {

namespace {

// Newest first. Opus 4.6 is the last Bedrock ID with a "-v1" suffix; Sonnet 4.6 and later have
// none. Output caps are Anthropic's published per-model limits. Capabilities follow Claude Code's
// model configuration: effort (low, medium, high, max) and adaptive thinking on Opus 4.6 and
// Sonnet 4.6; fixed-budget thinking on every Claude 4 model and 3.7 Sonnet; thinking between tool
// calls on Claude 4; none on 3.5 Haiku.
constexpr KnownModel kModels[] = {
    {"claude-opus-4-6", "", "anthropic.claude-opus-4-6-v1", "opus", 200000, true, 128000,
     kCapThinking | kCapInterleaved | kCapAdaptive | kCapEffort | kCapMaxEffort},
    {"claude-sonnet-4-6", "", "anthropic.claude-sonnet-4-6", "sonnet", 200000, true, 64000,
     kCapThinking | kCapInterleaved | kCapAdaptive | kCapEffort | kCapMaxEffort},
    {"claude-opus-4-5-20251101", "claude-opus-4-5", "anthropic.claude-opus-4-5-20251101-v1:0",
     "opus", 200000, false, 64000, kCapThinking | kCapInterleaved},
    {"claude-haiku-4-5-20251001", "claude-haiku-4-5", "anthropic.claude-haiku-4-5-20251001-v1:0",
     "haiku", 200000, false, 64000, kCapThinking | kCapInterleaved},
    {"claude-sonnet-4-5-20250929", "claude-sonnet-4-5", "anthropic.claude-sonnet-4-5-20250929-v1:0",
     "sonnet", 200000, true, 64000, kCapThinking | kCapInterleaved},
    {"claude-opus-4-1-20250805", "claude-opus-4-1", "anthropic.claude-opus-4-1-20250805-v1:0",
     "opus", 200000, false, 32000, kCapThinking | kCapInterleaved},
    {"claude-opus-4-20250514", "claude-opus-4-0", "anthropic.claude-opus-4-20250514-v1:0", "opus",
     200000, false, 32000, kCapThinking | kCapInterleaved},
    {"claude-sonnet-4-20250514", "claude-sonnet-4-0", "anthropic.claude-sonnet-4-20250514-v1:0",
     "sonnet", 200000, true, 64000, kCapThinking | kCapInterleaved},
    {"claude-3-7-sonnet-20250219", "claude-3-7-sonnet-latest",
     "anthropic.claude-3-7-sonnet-20250219-v1:0", "sonnet", 200000, false, 64000, kCapThinking},
    {"claude-3-5-haiku-20241022", "claude-3-5-haiku-latest",
     "anthropic.claude-3-5-haiku-20241022-v1:0", "haiku", 200000, false, 8192},
};

// Claude Code's Bedrock defaults for the aliases.
struct TierDefault {
  const char* tier;
  const char* anthropic_name;
};
constexpr TierDefault kTierDefaults[] = {
    {"sonnet", "claude-sonnet-4-5-20250929"},
    {"opus", "claude-opus-4-6"},
    {"haiku", "claude-haiku-4-5-20251001"},
};

// "us.anthropic.claude-x-v1:0[1m]" / an ARN ".../us.anthropic.claude-x" -> "anthropic.claude-x".
std::string FoundationPart(std::string_view id) {
  std::string s = ToLower(Trim(id));
  if (EndsWith(s, "[1m]")) s.resize(s.size() - 4);
  if (size_t slash = s.rfind('/'); slash != std::string::npos) s = s.substr(slash + 1);
  if (size_t at = s.find("anthropic."); at != std::string::npos) s = s.substr(at);
  return s;
}

}  // namespace

const KnownModel* FindKnownModel(std::string_view id) {
  std::string f = FoundationPart(id);
  for (const KnownModel& m : kModels) {
    if (f == m.bedrock_id || f == m.anthropic_name || (*m.short_name && f == m.short_name)) {
      return &m;
    }
  }
  // A Bedrock ID with another version suffix ("-v2:0") still names the model.
  for (const KnownModel& m : kModels) {
    std::string base = std::string("anthropic.") + m.anthropic_name;
    if (StartsWith(f, base) && (f.size() == base.size() || f[base.size()] == '-')) return &m;
  }
  return nullptr;
}

std::string BedrockIdForAnthropicName(std::string_view name) {
  std::string n = ToLower(Trim(name));
  for (const KnownModel& m : kModels) {
    if (n == m.anthropic_name || (*m.short_name && n == m.short_name)) return m.bedrock_id;
  }
  return "";
}

std::string DefaultBedrockIdForTier(std::string_view tier) {
  for (const TierDefault& d : kTierDefaults) {
    if (tier == d.tier) return BedrockIdForAnthropicName(d.anthropic_name);
  }
  return "";
}

ModelLimits LimitsForModel(std::string_view model_id, bool context_1m) {
  ModelLimits l;
  const KnownModel* m = FindKnownModel(model_id);
  if (!m) return l;
  l.context_window = (context_1m && m->supports_1m) ? 1000000 : m->context_window;
  l.max_output_tokens = m->max_output_tokens;
  l.default_max_tokens = m->max_output_tokens < 32000 ? m->max_output_tokens : 32000;
  return l;
}

unsigned ModelCapabilities(std::string_view id) {
  const KnownModel* m = FindKnownModel(id);
  return m ? m->capabilities : (kCapThinking | kCapInterleaved);
}

std::string EffortForModel(std::string_view id, std::string_view requested) {
  unsigned caps = ModelCapabilities(id);
  if (!(caps & kCapEffort)) return "";
  if (requested.empty()) return "high";  // Claude Code's default on every model it lists
  if (requested == "max" && (caps & kCapMaxEffort)) return "max";
  if ((requested == "max" || requested == "xhigh") && (caps & kCapXhighEffort)) return "xhigh";
  if (requested == "max" || requested == "xhigh") return "high";
  return std::string(requested);
}

}  // namespace brock
