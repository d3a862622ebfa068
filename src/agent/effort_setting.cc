#include "agent/effort_setting.h"

#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace brock {

namespace {

bool IsLevel(const std::string& v) {
  return v == "low" || v == "medium" || v == "high" || v == "xhigh" || v == "max";
}

}  // namespace

EffortChoice ChooseEffort(const Env& env, const Json& settings, const std::string& flag) {
  EffortChoice c;
  if (auto value = env.GetNonEmpty("CLAUDE_CODE_EFFORT_LEVEL")) {
    std::string v = ToLower(Trim(*value));
    if (v == "auto") {
      c.source = "CLAUDE_CODE_EFFORT_LEVEL";
      return c;
    }
    if (IsLevel(v)) {
      c.level = v;
      c.source = "CLAUDE_CODE_EFFORT_LEVEL";
      return c;
    }
    c.warning = "CLAUDE_CODE_EFFORT_LEVEL=" + *value +
                " is not an effort level (low, medium, high, xhigh, max or auto); it is ignored";
  }
  if (!flag.empty()) {
    c.level = flag == "ultracode" ? "xhigh" : flag;
    c.source = "--effort";
    return c;
  }
  if (settings.is_object()) {
    if (settings.contains("ultracode") && settings["ultracode"].is_boolean() &&
        settings["ultracode"].get<bool>()) {
      c.level = "xhigh";
      c.source = "ultracode";
      return c;
    }
    if (settings.contains("effortLevel")) {
      const Json& e = settings["effortLevel"];
      std::string v = e.is_string() ? e.get<std::string>() : e.dump();
      if (e.is_string() && IsLevel(v) && v != "max") {
        c.level = v;
        c.source = "effortLevel";
        return c;
      }
      if (c.warning.empty()) {
        c.warning = "the effortLevel setting " + QuoteForDisplay(v) +
                    " is not low, medium, high or xhigh; the model's default effort is used";
      }
    }
  }
  return c;
}

}  // namespace brock
