// Hook matchers, as Claude Code documents them: a matcher picks which tool calls (or which
// SessionStart source, PreCompact trigger, Notification type) a hook group runs for.
//
//   ""  or "*"          everything
//   "Bash"              exactly that name (case-sensitive)
//   "Edit|Write"        any name of the list (letters, digits, '_' and '|' only)
//   "Notebook.*", "mcp__memory__.*"   anything else is an ECMAScript regular expression searched
//                       in the name (unanchored, as Claude Code does: "Write" as part of a
//                       regex also matches "MultiWrite"; anchor with ^...$ to be exact)
//
// A matcher that is not a valid regular expression matches nothing.
#pragma once

#include <string_view>

namespace brock {

// True when `matcher` selects `subject` (a tool name such as "Bash" or "mcp__server__tool").
bool HookMatcherMatches(std::string_view matcher, std::string_view subject);

}  // namespace brock
