#include "cli/setup_prompt.h"

#include <termios.h>
#include <unistd.h>

#include <cstdio>
#include <iostream>

namespace brock {

std::optional<std::string> ReadStdinLine() {
  std::string line;
  if (!std::getline(std::cin, line)) return std::nullopt;
  if (!line.empty() && line.back() == '\r') line.pop_back();
  return line;
}

namespace {

class TerminalPrompter final : public SetupPrompter {
 public:
  std::optional<std::string> Ask(const std::string& question,
                                 const std::string& fallback) override {
    std::string q = question + (fallback.empty() ? "" : " [" + fallback + "]") + ": ";
    std::fputs(q.c_str(), stdout);
    std::fflush(stdout);
    auto line = ReadStdinLine();
    if (!line) return std::nullopt;
    return line->empty() ? fallback : *line;
  }

  std::optional<std::string> AskSecret(const std::string& question) override {
    std::fputs((question + " (not shown): ").c_str(), stdout);
    std::fflush(stdout);
    termios old{};
    bool tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &old) == 0;
    if (tty) {
      termios quiet = old;
      quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
      tcsetattr(STDIN_FILENO, TCSANOW, &quiet);
    }
    auto line = ReadStdinLine();
    if (tty) tcsetattr(STDIN_FILENO, TCSANOW, &old);
    std::fputs("\n", stdout);
    return line;
  }

  std::optional<size_t> Choose(const std::string& question, const std::vector<std::string>& options,
                               size_t fallback) override {
    std::printf("%s\n", question.c_str());
    for (size_t i = 0; i < options.size(); ++i) {
      std::printf("  %zu) %s\n", i + 1, options[i].c_str());
    }
    for (;;) {
      auto answer = Ask("Choose 1-" + std::to_string(options.size()), std::to_string(fallback + 1));
      if (!answer) return std::nullopt;
      char* end = nullptr;
      long n = std::strtol(answer->c_str(), &end, 10);
      if (!answer->empty() && *end == '\0' && n >= 1 && static_cast<size_t>(n) <= options.size()) {
        return static_cast<size_t>(n - 1);
      }
      std::printf("Please answer with a number from 1 to %zu.\n", options.size());
    }
  }

  std::optional<bool> Confirm(const std::string& question, bool fallback) override {
    for (;;) {
      auto answer = Ask(question + (fallback ? " (Y/n)" : " (y/N)"), "");
      if (!answer) return std::nullopt;
      if (answer->empty()) return fallback;
      char c = (*answer)[0];
      if (c == 'y' || c == 'Y') return true;
      if (c == 'n' || c == 'N') return false;
    }
  }
};

}  // namespace

std::unique_ptr<SetupPrompter> MakeTerminalPrompter() {
  return std::make_unique<TerminalPrompter>();
}

}  // namespace brock
