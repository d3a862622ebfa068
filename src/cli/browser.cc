#include "cli/browser.h"

#include <chrono>
#include <string>
#include <vector>

namespace brock {

bool OpenBrowser(Env& env, ProcessRunner& runner, std::string_view url) {
#if defined(__APPLE__)
  (void)env;
  std::vector<std::string> argv = {"open", std::string(url)};
#else
  if (!env.GetNonEmpty("DISPLAY") && !env.GetNonEmpty("WAYLAND_DISPLAY")) return false;
  std::vector<std::string> argv = {"xdg-open", std::string(url)};
#endif
  ProcessSpec spec;
  spec.argv = std::move(argv);
  spec.timeout = std::chrono::seconds(10);
  auto result = runner.Run(spec);
  return result.ok() && result->exit_code == 0;
}

}  // namespace brock
