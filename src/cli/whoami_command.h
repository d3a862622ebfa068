// `brock whoami`: who brock is on AWS, the way the Bedrock setup guide checks it with
// `aws sts get-caller-identity`: the account and ARN (STS GetCallerIdentity signed with the
// credentials brock would use), where the credentials came from and when they expire, and the
// profile, region, endpoint and model in effect, each with its source. Nothing is sent to
// Bedrock.
//
//   brock whoami [--debug]
#pragma once

namespace brock {

// `argv[0]` is "whoami". Returns 0 when the identity was shown, 1 on an error (printed as
// "Error: ...\n  fix: ..."), 2 on a usage error.
int RunWhoamiCommand(int argc, char** argv);

}  // namespace brock
