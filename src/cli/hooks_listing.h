// The `/hooks` listing of the interactive terminal: every configured hook, grouped by event, with
// its matcher, command, timeout and the settings file it came from, plus what was left out
// (disableAllHooks, allowManagedHooksOnly, untrusted project hooks, entries brock cannot run).
#pragma once

#include <string>

#include "settings/settings.h"

namespace brock {

// Plain text, one hook per line, ending with a newline.
std::string HooksListing(const Settings& settings);

}  // namespace brock
