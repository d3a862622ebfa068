// Debug logging to stderr, off unless enabled (--debug or BROCK_DEBUG=1). Every line passes
// through ScrubSecrets first.
#pragma once

#include <string>
#include <string_view>

#include "base/error.h"

namespace brock {

void SetDebugLogging(bool enabled);
// --debug-file: debug lines are appended to `path` (created 0600) instead of stderr. Error
// "log.file" when it cannot be opened.
Status SetDebugLogFile(const std::string& path);
bool DebugLoggingEnabled();
// Writes "[brock] <message>\n" to stderr (or the --debug-file) when enabled.
void DebugLog(std::string_view message);

}  // namespace brock
