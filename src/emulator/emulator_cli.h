// The command line of the emulator, shared by the brock-emulator binary and `brock emulator`.
//
//   brock-emulator [--host 127.0.0.1] [--port N] [--port-file FILE] [--script FILE]
//                  [--tls-cert PEM --tls-key PEM]
//                  [--access-key ID:SECRET]... [--session-token TOKEN]
//                  [--expired-token VALUE]... [--bearer-token TOKEN] [--no-auth]
//                  [--region us-east-1] [--allow-model ID]... [--request-log FILE] [--quiet]
//
// Prints "brock-emulator listening on http://127.0.0.1:PORT" (https:// with --tls-cert) to stderr,
// then serves until SIGINT or SIGTERM. See docs/emulator.md.
#pragma once

#include <string>
#include <vector>

#include "base/error.h"
#include "emulator/emulator.h"

namespace brock {

struct EmulatorCliOptions {
  EmulatorOptions emulator;
  std::string port_file;
  bool quiet = false;
  bool help = false;
};

// Parses the arguments after the program name. Errors (code "emulator.usage") name the flag.
Result<EmulatorCliOptions> ParseEmulatorArgs(const std::vector<std::string>& args);

// The --help text.
std::string EmulatorUsage();

// Runs the emulator until SIGINT/SIGTERM. argv[0] is the program (or subcommand) name.
// Returns 0 after a clean shutdown, 2 on a usage error, 1 when it cannot start.
int RunEmulatorMain(int argc, char** argv);

}  // namespace brock
