#include "cli/hooks_listing.h"

namespace brock {

std::string HooksListing(const Settings& settings) {
  std::string out;
  if (settings.hooks.empty()) out += "No hooks are configured.\n";
  for (const std::string& event : HookEventNames()) {
    bool header = false;
    for (const HookCommand& h : settings.hooks) {
      if (h.event != event) continue;
      if (!header) {
        out += event + ":\n";
        header = true;
      }
      out += "  [" + (h.matcher.empty() ? std::string("*") : h.matcher) + "] " + h.command +
             "  (timeout " + std::to_string(h.timeout_seconds) + "s; " +
             SettingsScopeName(h.scope) + ": " + h.source_file + ")\n";
    }
  }
  if (settings.disable_all_hooks) {
    out += "disableAllHooks is set in " + settings.disable_all_hooks_origin + ".\n";
  }
  if (settings.policy.hooks_only) {
    out += "Only managed hooks run (allowManagedHooksOnly in " + settings.policy.hooks_only_origin +
           ").\n";
  }
  for (const IgnoredSetting& i : settings.ignored) {
    if (i.key == "hooks") {
      out += "Not run until you trust this project (brock trust): hooks in " + i.file + "\n";
    }
  }
  for (const std::string& note : settings.hook_notes) out += note + "\n";
  return out;
}

}  // namespace brock
