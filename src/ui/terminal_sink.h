// TerminalSink: how the interactive terminal shows a run. The answer streams as it arrives; each
// tool call is one line ("● Bash(npm test)") and its result a short summary under it
// ("  ⎿  12 lines" / the first line of an error); retries and warnings are dim notes; a failed run
// ends with the error and its fix. Colours only when the terminal is styled.
#pragma once

#include <memory>

#include "agent/agent_events.h"
#include "ui/terminal.h"

namespace brock {

std::unique_ptr<AgentSink> MakeTerminalSink(Terminal& terminal);

// Shows an error as the terminal does everywhere: "Error: <message>" (red when styled) and, when
// there is one, "  fix: <fix>" on the next line.
void ShowError(Terminal& terminal, const Error& error);

// The one-line description of a tool call shown to the user: "Bash(npm test)",
// "Read(src/main.cc)", "Grep(TODO)". `max_width` bounds the result (an ellipsis marks a cut).
std::string DescribeToolCall(const Json& tool_use_block, size_t max_width);

// ANSI styling helpers; plain text when `on` is false.
std::string Styled(bool on, std::string_view ansi_code, std::string_view text);
inline constexpr std::string_view kBold = "1", kDim = "2", kRed = "31", kGreen = "32",
                                  kYellow = "33", kCyan = "36";

}  // namespace brock
