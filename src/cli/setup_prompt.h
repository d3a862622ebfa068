// How `brock setup` asks the user things: a line of text (with a default), a secret (the
// terminal does not echo it), or a choice from a numbered list. The terminal implementation
// reads standard input and writes standard output; `--yes` uses none and takes the defaults.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace brock {

class SetupPrompter {
 public:
  virtual ~SetupPrompter() = default;
  // The answer, `fallback` for an empty line; nullopt at end of input.
  virtual std::optional<std::string> Ask(const std::string& question,
                                         const std::string& fallback) = 0;
  // A line read without echo; nullopt at end of input.
  virtual std::optional<std::string> AskSecret(const std::string& question) = 0;
  // The index of the chosen option (1-based on screen), `fallback` for an empty line; nullopt
  // at end of input. Re-asks on an answer that is not one of the numbers.
  virtual std::optional<size_t> Choose(const std::string& question,
                                       const std::vector<std::string>& options,
                                       size_t fallback) = 0;
  // True for yes; `fallback` for an empty line.
  virtual std::optional<bool> Confirm(const std::string& question, bool fallback) = 0;
};

// Prompts on the terminal (standard input and output).
std::unique_ptr<SetupPrompter> MakeTerminalPrompter();

// Reads one line from standard input (without the newline); nullopt at end of input.
std::optional<std::string> ReadStdinLine();

}  // namespace brock
