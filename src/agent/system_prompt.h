// The system prompt: brock's own short text, the environment (working directory, platform, date,
// whether it is a git repository), and the user's memory (CLAUDE.md files) when given.
#pragma once

#include <string>

#include "base/env.h"

namespace brock {

struct SystemPromptInputs {
  std::string cwd;
  bool is_git_repo = false;
  std::string git_status;  // short summary, may be empty
  std::string memory;      // CLAUDE.md contents, already assembled
  std::string replace;     // --system-prompt: replaces brock's text (environment is kept)
  std::string append;      // --append-system-prompt
};

std::string BuildSystemPrompt(const Env& env, const SystemPromptInputs& in);

}  // namespace brock
