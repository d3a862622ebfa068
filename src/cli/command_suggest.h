// Telling a mistyped subcommand from a prompt. `brock doctr` is a typo of `brock doctor`, not a
// one-word prompt: when the only argument is a single lowercase word (letters and '-', no spaces)
// within two edits of a subcommand, brock says so and suggests it instead of starting a session.
// Anything else (`brock -p "..."`, a multi-word prompt, a word far from every command) is a
// prompt as before.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace brock {

// brock's subcommands: setup, doctor, models, policy, whoami, login, trust, mcp, emulator.
const std::vector<std::string>& SubcommandNames();

// The Levenshtein distance between `a` and `b`.
size_t EditDistance(std::string_view a, std::string_view b);

// The subcommand `word` most likely meant, or "" when `word` is not a lone lowercase word close
// to one (or is exactly one).
std::string SuggestSubcommand(std::string_view word);

}  // namespace brock
