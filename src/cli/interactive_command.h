// The interactive terminal: `brock [prompt]` without -p. Sets up the session exactly as print mode
// does (settings, region, credentials, model, tools, memory, transcript, -c / -r), then hands the
// terminal to the Repl (repl.h). Approval questions, MFA codes and awsAuthRefresh output go through
// the same terminal.
#pragma once

#include "cli/cli_options.h"

namespace brock {

// Needs a terminal on stdin (else a usage error pointing at -p). Returns the exit code.
int RunInteractiveCommand(const CliOptions& options);

}  // namespace brock
