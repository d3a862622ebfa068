#include "base/log.h"

#include <atomic>
#include <cstdio>
#include <string>

#include "base/secrets.h"

namespace brock {
namespace {
std::atomic<bool> g_debug{false};
}

void SetDebugLogging(bool enabled) { g_debug = enabled; }
bool DebugLoggingEnabled() { return g_debug; }

void DebugLog(std::string_view message) {
  if (!g_debug) return;
  std::string line = "[brock] " + ScrubSecrets(message) + "\n";
  std::fwrite(line.data(), 1, line.size(), stderr);
}

}  // namespace brock
