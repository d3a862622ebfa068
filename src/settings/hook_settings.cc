#include "settings/hook_settings.h"

#include <algorithm>
#include <nlohmann/json.hpp>

namespace brock {

namespace {

Error BadHooks(const std::string& origin, const std::string& key, const std::string& want) {
  return MakeError("settings.invalid", origin + ": \"" + key + "\" must be " + want,
                   "edit " + origin + " so that \"" + key + "\" is " + want +
                       " (see docs/hooks.md), then run brock again");
}

}  // namespace

const std::vector<std::string>& HookEventNames() {
  static const std::vector<std::string> names = {
      "PreToolUse",       "PostToolUse", "PostToolUseFailure", "PermissionRequest",
      "UserPromptSubmit", "Stop",        "SubagentStop",       "SessionStart",
      "SessionEnd",       "PreCompact",  "Notification"};
  return names;
}

Status ReadHooksBlock(const Json& file, const std::string& origin, SettingsScope scope,
                      std::vector<HookCommand>* out, std::vector<std::string>* notes) {
  auto hooks = file.find("hooks");
  if (hooks == file.end() || hooks->is_null()) return {};
  if (!hooks->is_object()) return BadHooks(origin, "hooks", "an object of event names");
  const auto& known = HookEventNames();
  for (const auto& [event, groups] : hooks->items()) {
    std::string key = "hooks." + event;
    if (!groups.is_array()) return BadHooks(origin, key, "an array of {matcher, hooks} objects");
    bool known_event = std::find(known.begin(), known.end(), event) != known.end();
    if (!known_event) {
      notes->push_back(origin + ": hook event \"" + event + "\" is not one brock knows; ignored");
      continue;
    }
    for (size_t g = 0; g < groups.size(); ++g) {
      const Json& group = groups[g];
      std::string gkey = key + "[" + std::to_string(g) + "]";
      if (!group.is_object()) return BadHooks(origin, gkey, "an object {matcher, hooks}");
      std::string matcher;
      if (auto m = group.find("matcher"); m != group.end() && !m->is_null()) {
        if (!m->is_string()) return BadHooks(origin, gkey + ".matcher", "a string");
        matcher = m->get<std::string>();
      }
      auto list = group.find("hooks");
      if (list == group.end() || list->is_null()) continue;  // a group with no hooks yet
      if (!list->is_array()) {
        return BadHooks(origin, gkey + ".hooks", "an array of {type, command} objects");
      }
      for (size_t h = 0; h < list->size(); ++h) {
        const Json& hook = (*list)[h];
        std::string hkey = gkey + ".hooks[" + std::to_string(h) + "]";
        if (!hook.is_object()) return BadHooks(origin, hkey, "an object {type, command}");
        auto type = hook.find("type");
        if (type == hook.end() || !type->is_string()) {
          return BadHooks(origin, hkey + ".type", "the string \"command\"");
        }
        if (type->get<std::string>() != "command") {
          notes->push_back(origin + ": " + hkey + " has type \"" + type->get<std::string>() +
                           "\"; brock runs only \"command\" hooks, so it is ignored");
          continue;
        }
        auto command = hook.find("command");
        if (command == hook.end() || !command->is_string() || command->get<std::string>().empty()) {
          return BadHooks(origin, hkey + ".command", "a non-empty string");
        }
        HookCommand hc;
        hc.event = event;
        hc.matcher = matcher;
        hc.command = command->get<std::string>();
        if (auto t = hook.find("timeout"); t != hook.end() && !t->is_null()) {
          if (!t->is_number() || t->get<double>() <= 0) {
            return BadHooks(origin, hkey + ".timeout", "a positive number of seconds");
          }
          hc.timeout_seconds = std::max(1, static_cast<int>(t->get<double>()));
        }
        hc.source_file = origin;
        hc.scope = scope;
        out->push_back(std::move(hc));
      }
    }
  }
  return {};
}

}  // namespace brock
