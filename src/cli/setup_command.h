// `brock setup`: the Bedrock setup guide as one command, in the terminal (a wizard) or for
// scripts (flags, --yes). docs/setup.md describes it for users.
//
//   brock setup [--auth sso|static|temporary|api-key] [--profile NAME] [--region R]
//               [--model ID|alias] [--scope user|project] [--yes] [--no-verify]
//               [--sso-start-url URL] [--sso-region R] [--sso-account ID] [--sso-role NAME]
//
// What it writes (nothing else; every file it changes is merged, backed up next to itself with a
// timestamp and written atomically, see settings/settings_edit.h and aws/ini_edit.h):
//   ~/.claude/settings.json   env: CLAUDE_CODE_USE_BEDROCK=1, AWS_REGION, AWS_PROFILE (user
//                             scope), ANTHROPIC_MODEL (the pinned model); AWS_BEARER_TOKEN_BEDROCK
//                             for an API key; awsAuthRefresh for SSO profiles when accepted
//   <project>/.claude/settings.json   env: AWS_PROFILE (--scope project), never a secret
//   ~/.aws/credentials        [NAME] aws_access_key_id, aws_secret_access_key (and
//                             aws_session_token for temporary keys), mode 0600
//   ~/.aws/config             [profile NAME] region (and the SSO keys; [sso-session NAME])
// Keys come from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY (/ AWS_SESSION_TOKEN) when set, else
// from standard input when it is not a terminal (one per line), else from prompts that do not
// echo: never from an argument. The API key likewise (AWS_BEARER_TOKEN_BEDROCK).
// It ends by proving the setup (unless --no-verify): STS GetCallerIdentity with the new
// credentials, then the guide's test prompt to the pinned model, and prints what it wrote where.
#pragma once

namespace brock {

// `argv[0]` is "setup". 0 when set up (and verified), 1 on an error, 2 on a usage error.
int RunSetupCommand(int argc, char** argv);

}  // namespace brock
