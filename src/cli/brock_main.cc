// brock's entry point: subcommand dispatch, then print mode.
#include <cstdio>
#include <cstring>
#include <string>

#include "base/log.h"
#include "cli/cli_options.h"
#include "cli/interactive_command.h"
#include "cli/login_command.h"
#include "cli/print_command.h"
#include "cli/trust_command.h"
#include "cli/version.h"
#include "cli/whoami_command.h"
#include "emulator/emulator_cli.h"

int main(int argc, char** argv) {
  // Fast path: --version touches nothing else.
  if (argc == 2 && (std::strcmp(argv[1], "--version") == 0 || std::strcmp(argv[1], "-v") == 0)) {
    std::printf("%s (brock)\n", brock::kBrockVersion);
    return 0;
  }
  if (argc >= 2 && std::strcmp(argv[1], "emulator") == 0) {
    return brock::RunEmulatorMain(argc - 1, argv + 1);
  }
  if (argc >= 2 && std::strcmp(argv[1], "login") == 0) {
    return brock::RunLoginCommand(argc - 1, argv + 1);
  }
  if (argc >= 2 && std::strcmp(argv[1], "whoami") == 0) {
    return brock::RunWhoamiCommand(argc - 1, argv + 1);
  }
  if (argc >= 2 && std::strcmp(argv[1], "trust") == 0) {
    return brock::RunTrustCommand(argc - 1, argv + 1);
  }
  auto options = brock::ParseCliOptions(argc, argv);
  if (!options.ok()) {
    std::fprintf(stderr, "Error: %s\n", options.error().ToString().c_str());
    return 2;
  }
  if (options->show_help) {
    std::fputs(options->help_text.c_str(), stdout);
    std::fputs(
        "\nSubcommands:\n  brock emulator [--help]        run the local Bedrock emulator\n"
        "  brock login [--profile NAME]   sign in to IAM Identity Center (SSO) for a profile\n"
        "  brock whoami                   the AWS identity, credentials, region and model in "
        "effect\n"
        "  brock trust [DIR]              trust a project's settings files (--revoke, --forget, "
        "--list)\n",
        stdout);
    return 0;
  }
  if (options->show_version) {
    std::printf("%s (brock)\n", brock::kBrockVersion);
    return 0;
  }
  if (options->debug || std::getenv("BROCK_DEBUG")) brock::SetDebugLogging(true);
  // The Agent SDKs start their CLI with --input-format stream-json and no -p: that is print mode.
  if (options->input_format == "stream-json") options->print = true;
  if (!options->print) return brock::RunInteractiveCommand(*options);
  return brock::RunPrintCommand(*options);
}
