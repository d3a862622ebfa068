// How the command-line tools report a failure: "Error: <message>\n  fix: <fix>" on stderr, with
// every registered secret scrubbed.
#pragma once

#include "base/error.h"

namespace brock {

// Prints `error` and returns 1, the exit status of a failed command.
int ReportError(const Error& error);

}  // namespace brock
