// brock's entry point: subcommand dispatch, then print mode.
#include <cstdio>
#include <cstring>
#include <string>

#include "base/log.h"
#include "cli/cli_options.h"
#include "cli/command_suggest.h"
#include "cli/doctor_command.h"
#include "cli/interactive_command.h"
#include "cli/login_command.h"
#include "cli/mcp_command.h"
#include "cli/models_command.h"
#include "cli/policy_command.h"
#include "cli/print_command.h"
#include "cli/setup_command.h"
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
  if (argc >= 2 && std::strcmp(argv[1], "mcp") == 0) {
    return brock::RunMcpCommand(argc - 1, argv + 1);
  }
  if (argc >= 2 && std::strcmp(argv[1], "trust") == 0) {
    return brock::RunTrustCommand(argc - 1, argv + 1);
  }
  if (argc >= 2 && std::strcmp(argv[1], "models") == 0) {
    return brock::RunModelsCommand(argc - 1, argv + 1);
  }
  if (argc >= 2 && std::strcmp(argv[1], "policy") == 0) {
    return brock::RunPolicyCommand(argc - 1, argv + 1);
  }
  if (argc >= 2 && std::strcmp(argv[1], "setup") == 0) {
    return brock::RunSetupCommand(argc - 1, argv + 1);
  }
  if (argc >= 2 && std::strcmp(argv[1], "doctor") == 0) {
    return brock::RunDoctorCommand(argc - 1, argv + 1);
  }
  if (argc == 2) {
    if (std::string near = brock::SuggestSubcommand(argv[1]); !near.empty()) {
      std::fprintf(stderr,
                   "Error: '%s' is not a brock command. Did you mean `brock %s`?\n"
                   "  fix: run `brock %s`, or `brock -p \"%s\"` to send it as a prompt "
                   "(`brock --help` lists the commands)\n",
                   argv[1], near.c_str(), near.c_str(), argv[1]);
      return 2;
    }
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
        "  brock mcp add|add-json|list|get|remove   manage MCP servers (as claude mcp)\n"
        "  brock trust [DIR]              trust a project's settings files (--revoke, --forget, "
        "--list)\n"
        "  brock setup [--auth ...]       set up Bedrock: AWS sign-in, settings, a pinned model\n"
        "  brock doctor [--json]          check the Bedrock setup; every problem with its fix\n"
        "  brock models [--pin T ID]      the region's Bedrock models; pin one for an alias\n"
        "  brock policy [--broad]         the least-privilege IAM policy for the configured "
        "models\n",
        stdout);
    return 0;
  }
  if (options->show_version) {
    std::printf("%s (brock)\n", brock::kBrockVersion);
    return 0;
  }
  for (const std::string& notice : options->notices) {
    std::fprintf(stderr, "brock: %s\n", notice.c_str());
  }
  if (!options->debug_file.empty()) {
    if (auto st = brock::SetDebugLogFile(options->debug_file); !st.ok()) {
      std::fprintf(stderr, "Error: %s\n", st.error().ToString().c_str());
      return 2;
    }
  }
  if (options->debug || std::getenv("BROCK_DEBUG")) brock::SetDebugLogging(true);
  // The Agent SDKs start their CLI with --input-format stream-json and no -p: that is print mode.
  if (options->input_format == "stream-json") options->print = true;
  if (!options->print) return brock::RunInteractiveCommand(*options);
  return brock::RunPrintCommand(*options);
}
