// Debug logging to stderr, off unless enabled (--debug or BROCK_DEBUG=1). Every line passes
// through ScrubSecrets first.
#pragma once

#include <string_view>

namespace brock {

void SetDebugLogging(bool enabled);
bool DebugLoggingEnabled();
// Writes "[brock] <message>\n" to stderr when enabled.
void DebugLog(std::string_view message);

}  // namespace brock
