// `brock -p`: one prompt, run to completion, shown in the chosen print format.
#pragma once

#include "cli/cli_options.h"

namespace brock {

// Runs print mode; returns the process exit code (0 success, 1 any error).
int RunPrintCommand(const CliOptions& options);

}  // namespace brock
