// `brock doctor`: checks a Bedrock setup the way the setup guide's troubleshooting table does,
// and says for each check its status, the cause and the fix.
//
//   brock doctor [--json] [--offline] [--debug]
//
// Checks, in order (ids in --json):
//   settings.files      every settings file found (user, project, local, managed) and whether it
//                       parses (path:line:col when not)
//   bedrock.enabled     CLAUDE_CODE_USE_BEDROCK and where it is set
//   region              AWS_REGION set, a region name, and not only from ~/.aws/config
//                       (guide row "Region error on startup")
//   profile             AWS_PROFILE names a profile of ~/.aws/config or ~/.aws/credentials (which
//                       exist) (guide row "aws sso login succeeds but ... still fails")
//   env.stale_keys      AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN next to a
//                       selected profile (same row: "stale env vars")
//   auth.anthropic      an Anthropic API key or login setting, which Bedrock never uses (guide
//                       row "/login / /logout doesn't behave as expected")
//   sso.token           for an SSO profile: the cached token missing, expired or expiring soon
//   credentials         resolvable, their source and expiry (or the Bedrock API key in use)
//   model               the model and each alias pin, with sources; a bare foundation model ID
//                       or a profile prefix of another geography than the region (guide row
//                       "Every message fails immediately")
//   network             proxy variables, the CA bundle and endpoint overrides in effect
//   trust               the project's trust state and what an untrusted project may not do
//   sts.identity        STS GetCallerIdentity                            (network)
//   models.catalog      ListInferenceProfiles and ListFoundationModels   (network)
//   models.present      each configured model offered in the region      (network)
//   models.invoke       one tiny InvokeModel per configured model; AccessDeniedException
//                       explained with the IAM action missing (guide row "AccessDeniedException
//                       invoking a model")                              (network)
// Status is ok, warn, fail or skip (--offline skips the network checks). Exit 0 when nothing
// failed, 1 otherwise, 2 on a usage error. --json prints {"ok": bool, "checks": [{"id", "title",
// "status", "detail", "cause", "fix"}]}. Secrets never appear in the output.
#pragma once

namespace brock {

// `argv[0]` is "doctor".
int RunDoctorCommand(int argc, char** argv);

}  // namespace brock
