// Relogin: signs the user in again without leaving the session (the interactive terminal's
// /login), for credentials that expired mid-conversation:
//   - awsAuthRefresh is configured: it runs (its output shown), then the AWS files are re-read;
//   - the active profile (or a source_profile it chains from) uses IAM Identity Center: the
//     device-authorization flow runs here (URL and code printed, as `brock login` does) and the
//     shared token cache is written;
//   - otherwise the AWS files are re-read (new keys pasted into ~/.aws/credentials count).
// Then the session's credential chain is replaced (Session::ReloadCredentials) and fetched again,
// so the next request uses the fresh login.
#pragma once

#include <atomic>
#include <functional>
#include <string>
#include <string_view>

#include "base/env.h"
#include "cli/session.h"

namespace brock {

using ReloginPrinter = std::function<void(std::string_view line)>;

// Returns where the credentials now come from ("profile ui-dev"), or an Error with a fix:
// relogin.not_possible (a Bedrock API key, or no AWS credentials brock can renew), the SSO login
// and awsAuthRefresh errors, or the credential chain's error when the fresh credentials still fail.
// `cancel` (Ctrl-C) stops a sign-in that is waiting for approval (sso.login_cancelled).
Result<std::string> Relogin(Env& env, Session& session, const ReloginPrinter& print,
                            const std::atomic<bool>* cancel = nullptr);

// The command a user can run in another terminal to fix expired credentials ("brock login
// --profile ui-dev"), or "" when there is none.
std::string LoginHint(const Session& session);

}  // namespace brock
