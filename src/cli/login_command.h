// `brock login`: signs in to IAM Identity Center (SSO) for a profile, like `aws sso login`,
// and writes the shared token cache (~/.aws/sso/cache) that brock, the AWS CLI and the SDKs read.
//
//   brock login [--profile NAME | --sso-session NAME] [--no-browser]
//
// The profile defaults to AWS_PROFILE / AWS_DEFAULT_PROFILE / "default", after the `env` blocks of
// the Claude Code settings files (~/.claude/settings.json, ...) have been applied.
#pragma once

namespace brock {

// `argv[0]` is the subcommand name ("login") and is skipped; the rest are its flags (main calls
// RunLoginCommand(argc - 1, argv + 1)). Uses the real environment, file system and network.
// Returns 0 when signed in, 1 on an error (printed to stderr as "Error: <message>\n  fix: ..."),
// 2 on a usage error.
int RunLoginCommand(int argc, char** argv);

}  // namespace brock
