#include "base/log.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

#include "base/secrets.h"

namespace brock {
namespace {
std::atomic<bool> g_debug{false};
std::FILE* g_debug_file = nullptr;  // set once, before any thread logs
}  // namespace

Status SetDebugLogFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
  std::FILE* f = fd >= 0 ? ::fdopen(fd, "a") : nullptr;
  if (!f) {
    if (fd >= 0) ::close(fd);
    return MakeError("log.file", "cannot open the debug log " + path + ": " + std::strerror(errno),
                     "pass --debug-file a path in a directory you can write to");
  }
  g_debug_file = f;
  return {};
}

void SetDebugLogging(bool enabled) { g_debug = enabled; }
bool DebugLoggingEnabled() { return g_debug; }

void DebugLog(std::string_view message) {
  if (!g_debug) return;
  std::string line = "[brock] " + ScrubSecrets(message) + "\n";
  std::FILE* out = g_debug_file ? g_debug_file : stderr;
  std::fwrite(line.data(), 1, line.size(), out);
  if (g_debug_file) std::fflush(g_debug_file);
}

}  // namespace brock
