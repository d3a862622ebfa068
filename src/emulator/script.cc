#include "emulator/script.h"

#include <fstream>
#include <nlohmann/json.hpp>
#include <regex>
#include <set>
#include <sstream>

#include "base/json.h"
#include "base/strings.h"

namespace brock {

using nlohmann::json;

namespace {

Error Bad(std::string_view source, std::string_view where, const std::string& what) {
  return MakeError("emulator.script", std::string(source) + ": " + std::string(where) + ": " + what,
                   "see docs/emulator.md for the script format");
}

bool ValidRegex(const std::string& pattern) {
  try {
    std::regex re(pattern, std::regex::ECMAScript);
    return true;
  } catch (const std::regex_error&) {
    return false;
  }
}

bool RegexFinds(const std::string& pattern, const std::string& text) {
  try {
    return std::regex_search(text, std::regex(pattern, std::regex::ECMAScript));
  } catch (const std::regex_error&) {
    return false;
  }
}

Result<ScriptRule> ParseRule(const json& r, size_t index, std::string_view source) {
  std::string where = "rule " + std::to_string(index + 1);
  if (!r.is_object()) return Bad(source, where, "must be a JSON object");
  static const std::set<std::string> kKnown = {"name",
                                               "match",
                                               "fallback",
                                               "text",
                                               "content",
                                               "stop_reason",
                                               "usage",
                                               "times",
                                               "error",
                                               "error_times",
                                               "exception_frame",
                                               "drop_after_events",
                                               "corrupt_crc_after_events",
                                               "stream_fault_times",
                                               "delay_ms_per_event",
                                               "comment"};
  for (auto it = r.begin(); it != r.end(); ++it) {
    if (!kKnown.count(it.key())) return Bad(source, where, "unknown field \"" + it.key() + "\"");
  }
  ScriptRule rule;
  rule.name = r.value("name", where);
  if (r.contains("match")) {
    const json& m = r["match"];
    if (!m.is_object()) return Bad(source, where, "\"match\" must be an object");
    for (auto it = m.begin(); it != m.end(); ++it) {
      if (!it.value().is_string()) {
        return Bad(source, where, "\"match." + it.key() + "\" must be a string");
      }
      std::string v = it.value().get<std::string>();
      if (it.key() == "contains")
        rule.match.contains = v;
      else if (it.key() == "regex")
        rule.match.regex = v;
      else if (it.key() == "tool_result_contains")
        rule.match.tool_result_contains = v;
      else if (it.key() == "tool_result_regex")
        rule.match.tool_result_regex = v;
      else if (it.key() == "model")
        rule.match.model = v;
      else
        return Bad(source, where, "unknown match kind \"" + it.key() + "\"");
      if (EndsWith(it.key(), "regex") && !ValidRegex(v)) {
        return Bad(source, where, "invalid regular expression \"" + v + "\"");
      }
    }
  }
  if (r.contains("text")) {
    if (!r["text"].is_string()) return Bad(source, where, "\"text\" must be a string");
    rule.content.push_back(
        {ReplyBlock::Kind::kText, r["text"].get<std::string>(), "", "", "", "", ""});
  }
  if (r.contains("content")) {
    if (!r["content"].is_array()) return Bad(source, where, "\"content\" must be an array");
    for (const json& b : r["content"]) {
      std::string type = b.is_object() ? b.value("type", "") : "";
      if (type == "text" && b.contains("text") && b["text"].is_string()) {
        rule.content.push_back(
            {ReplyBlock::Kind::kText, b["text"].get<std::string>(), "", "", "", "", ""});
      } else if (type == "tool_use" && b.contains("name") && b["name"].is_string()) {
        json input = b.value("input", json::object());
        if (!input.is_object()) return Bad(source, where, "tool_use \"input\" must be an object");
        rule.content.push_back({ReplyBlock::Kind::kToolUse, "", b.value("id", ""),
                                b["name"].get<std::string>(), input.dump(), "", ""});
      } else if (type == "thinking" && b.contains("thinking") && b["thinking"].is_string()) {
        ReplyBlock thinking;
        thinking.kind = ReplyBlock::Kind::kThinking;
        thinking.text = b["thinking"].get<std::string>();
        rule.content.push_back(std::move(thinking));
      } else if (type == "redacted_thinking") {
        ReplyBlock redacted;
        redacted.kind = ReplyBlock::Kind::kRedactedThinking;
        rule.content.push_back(std::move(redacted));
      } else {
        return Bad(source, where,
                   "each content block must be {\"type\":\"text\",\"text\":...}, "
                   "{\"type\":\"tool_use\",\"name\":...,\"input\":{...}}, "
                   "{\"type\":\"thinking\",\"thinking\":...} or "
                   "{\"type\":\"redacted_thinking\"}");
      }
    }
  }
  if (r.contains("stop_reason")) {
    std::string s = r["stop_reason"].is_string() ? r["stop_reason"].get<std::string>() : "";
    if (s != "end_turn" && s != "tool_use" && s != "max_tokens" && s != "stop_sequence") {
      return Bad(source, where,
                 "\"stop_reason\" must be end_turn, tool_use, max_tokens or stop_sequence");
    }
    rule.stop_reason = s;
  }
  if (r.contains("usage")) {
    const json& u = r["usage"];
    if (!u.is_object()) return Bad(source, where, "\"usage\" must be an object");
    for (auto it = u.begin(); it != u.end(); ++it) {
      if (!it.value().is_number_integer() || it.value().get<int64_t>() < 0) {
        return Bad(source, where, "\"usage." + it.key() + "\" must be a non-negative integer");
      }
      int64_t n = it.value().get<int64_t>();
      if (it.key() == "input_tokens")
        rule.input_tokens = n;
      else if (it.key() == "output_tokens")
        rule.output_tokens = n;
      else if (it.key() == "cache_read_input_tokens")
        rule.cache_read_input_tokens = n;
      else if (it.key() == "cache_creation_input_tokens")
        rule.cache_creation_input_tokens = n;
      else
        return Bad(source, where, "unknown usage field \"" + it.key() + "\"");
    }
  }
  if (r.contains("times")) {
    if (!r["times"].is_number_integer() || r["times"].get<int>() < 0) {
      return Bad(source, where, "\"times\" must be a non-negative integer");
    }
    rule.times = r["times"].get<int>();
  }
  auto faults = ParseFaults(r, source.empty() ? where : std::string(source) + ": " + where);
  if (!faults) return faults.error();
  rule.faults = *faults;
  if (rule.content.empty() && !rule.faults.error) {
    return Bad(source, where, "a rule needs \"text\", \"content\" or \"error\"");
  }
  return rule;
}

// Text of a content value: a string, or the text blocks of an array joined with "\n".
std::string TextOf(const json& content) {
  if (content.is_string()) return content.get<std::string>();
  std::string out;
  if (!content.is_array()) return out;
  for (const json& b : content) {
    if (b.is_object() && b.value("type", "") == "text" && b.contains("text") &&
        b["text"].is_string()) {
      if (!out.empty()) out += "\n";
      out += b["text"].get<std::string>();
    }
  }
  return out;
}

}  // namespace

Result<Script> ParseScript(std::string_view json_text, std::string_view source) {
  auto parsed = ParseJson(json_text, source);
  if (!parsed) return parsed.error();
  const json& root = *parsed;
  const json* rules = nullptr;
  if (root.is_array()) {
    rules = &root;
  } else if (root.is_object() && root.contains("rules") && root["rules"].is_array()) {
    rules = &root["rules"];
  } else {
    return MakeError("emulator.script",
                     std::string(source) + ": a script is {\"rules\": [...]} or an array of rules",
                     "see docs/emulator.md for the script format");
  }
  Script script;
  for (size_t i = 0; i < rules->size(); ++i) {
    auto rule = ParseRule((*rules)[i], i, source);
    if (!rule) return rule.error();
    script.rules.push_back(std::move(*rule));
  }
  return script;
}

Result<Script> LoadScriptFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    return MakeError("emulator.script", "cannot read script file " + path,
                     "check the path given to --script");
  }
  std::stringstream ss;
  ss << in.rdbuf();
  return ParseScript(ss.str(), path);
}

RequestView ViewRequest(const json& body) {
  RequestView view;
  if (!body.is_object()) return view;
  if (body.contains("system")) {
    const json& s = body["system"];
    view.prompt_chars += s.is_string() ? s.get<std::string>().size() : s.dump().size();
  }
  if (!body.contains("messages") || !body["messages"].is_array()) return view;
  const json* last_user = nullptr;
  for (const json& m : body["messages"]) {
    if (!m.is_object()) continue;
    if (m.contains("content")) {
      const json& c = m["content"];
      view.prompt_chars += c.is_string() ? c.get<std::string>().size() : c.dump().size();
    }
    if (m.value("role", "") == "user") last_user = &m;
  }
  if (!last_user || !last_user->contains("content")) return view;
  const json& content = (*last_user)["content"];
  view.last_user_text = TextOf(content);
  if (content.is_array()) {
    for (const json& b : content) {
      if (b.is_object() && b.value("type", "") == "tool_result") {
        view.has_tool_result = true;
        view.last_tool_result = b.contains("content") ? TextOf(b["content"]) : "";
      }
    }
  }
  return view;
}

bool RuleMatches(const ScriptRule& rule, const RequestView& view) {
  const MatchSpec& m = rule.match;
  if (!m.contains.empty() && view.last_user_text.find(m.contains) == std::string::npos) {
    return false;
  }
  if (!m.regex.empty() && !RegexFinds(m.regex, view.last_user_text)) return false;
  if (!m.model.empty() && view.model_id.find(m.model) == std::string::npos) return false;
  if (!m.tool_result_contains.empty() &&
      (!view.has_tool_result ||
       view.last_tool_result.find(m.tool_result_contains) == std::string::npos)) {
    return false;
  }
  if (!m.tool_result_regex.empty() &&
      (!view.has_tool_result || !RegexFinds(m.tool_result_regex, view.last_tool_result))) {
    return false;
  }
  return true;
}

}  // namespace brock
