#include "cli/whoami_command.h"

#include <cstdio>
#include <string>
#include <string_view>

#include "aws/credential_time.h"
#include "aws/sts_client.h"
#include "base/log.h"
#include "base/secrets.h"
#include "cli/cli_options.h"
#include "cli/report_error.h"
#include "cli/session.h"

namespace brock {

namespace {

constexpr char kUsage[] =
    "Usage: brock whoami [--debug]\n"
    "\n"
    "Shows the AWS account and identity brock's credentials belong to (STS GetCallerIdentity),\n"
    "where the credentials come from and when they expire, and the profile, region, endpoint\n"
    "and model in effect. Nothing is sent to Bedrock.\n";

void Row(std::string_view name, const std::string& value) {
  std::string line = std::string(name);
  line.resize(13, ' ');
  line += ScrubSecrets(value) + "\n";
  std::fwrite(line.data(), 1, line.size(), stdout);
}

// "2026-11-25T17:12:00Z (in 58 min)" / "(expired 3 min ago)".
std::string Expiry(const Env& env, Clock::time_point when) {
  auto minutes = std::chrono::duration_cast<std::chrono::minutes>(when - env.Now()).count();
  std::string rel = minutes >= 0 ? "in " + std::to_string(minutes) + " min"
                                 : "expired " + std::to_string(-minutes) + " min ago";
  return FormatIso8601(when) + " (" + rel + ")";
}

}  // namespace

int RunWhoamiCommand(int argc, char** argv) {
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--debug" || arg == "-d") {
      SetDebugLogging(true);
      continue;
    }
    std::fprintf(stderr, "Error: unknown argument: %.*s\n\n%s", static_cast<int>(arg.size()),
                 arg.data(), kUsage);
    return 2;
  }

  Env& env = RealEnv();
  auto opened = Session::Open(env, CliOptions{});
  if (!opened.ok()) return ReportError(opened.error());
  Session& s = **opened;
  const Provenance& p = s.provenance();
  for (const std::string& w : s.warnings())
    std::fprintf(stderr, "brock: %s\n", ScrubSecrets(w).c_str());

  if (CredentialSource* source = s.credentials()) {
    auto creds = source->Get();
    if (!creds.ok()) return ReportError(creds.error());
    auto endpoint = ResolveStsEndpoint(env, *s.aws_config(), p.profile.value);
    if (!endpoint.ok()) return ReportError(endpoint.error());
    StsClient sts(env, s.http(), *endpoint);
    auto who = sts.GetCallerIdentity(*creds);
    if (!who.ok()) {
      Error e = std::move(who).error();
      e.message = "STS GetCallerIdentity with the credentials from " + creds->source +
                  " failed: " + e.message;
      return ReportError(e);
    }
    Row("Account", who->account);
    Row("ARN", who->arn);
    Row("Credentials", creds->source + ", key " + DescribeAccessKeyId(creds->access_key_id) +
                           (creds->expiration ? ", expire " + Expiry(env, *creds->expiration)
                                              : ", long-term (no expiry)"));
  } else {
    Row("Credentials", p.auth.value + " (no AWS identity to look up)");
  }
  Row("Profile", p.profile.value + "  · " + p.profile.origin);
  Row("Region", p.region.value + "  · " + p.region.origin);
  Row("Endpoint", p.endpoint.value + "  · " + p.endpoint.origin);
  Row("Model", p.model.value + "  · " + p.model.origin);
  return 0;
}

}  // namespace brock
