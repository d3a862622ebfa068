#include "aws/credential_export.h"

#include <nlohmann/json.hpp>

#include "aws/credential_time.h"
#include "aws/process_credentials.h"
#include "base/error_codes.h"
#include "base/json.h"
#include "base/secrets.h"
#include "base/strings.h"

namespace brock {

Result<Credentials> ParseExportedCredentials(std::string_view output, std::string_view origin) {
  auto bad = [&](const std::string& problem) {
    return MakeError(
        "export.bad_output", "awsCredentialExport (" + std::string(origin) + ") printed " + problem,
        "the command must print {\"Credentials\": {\"AccessKeyId\": ..., \"SecretAccessKey\": "
        "..., \"SessionToken\": ...}} (or the output of aws configure export-credentials "
        "--format process) on stdout");
  };
  Json j = ParseJsonOrDiscarded(output);
  if (j.is_discarded() || !j.is_object()) return bad("output that is not a JSON object");
  const Json* fields = &j;
  if (j.contains("Credentials")) {
    if (!j["Credentials"].is_object()) return bad("a \"Credentials\" value that is not an object");
    fields = &j["Credentials"];
  } else if (j.contains("Version") &&
             !(j["Version"].is_number_integer() && j["Version"].get<long>() == 1)) {
    return bad("JSON with unsupported \"Version\" " + j["Version"].dump() +
               " (only 1 is supported)");
  }
  auto str = [&](const char* key) {
    return fields->contains(key) && (*fields)[key].is_string() ? (*fields)[key].get<std::string>()
                                                               : std::string();
  };
  Credentials c;
  c.access_key_id = str("AccessKeyId");
  c.secret_access_key = str("SecretAccessKey");
  c.session_token = str("SessionToken");
  RegisterSecret(c.secret_access_key);
  RegisterSecret(c.session_token);
  if (c.access_key_id.empty() || c.secret_access_key.empty()) {
    return bad("JSON without AccessKeyId and SecretAccessKey");
  }
  std::string expiration = str("Expiration");
  if (!expiration.empty()) {
    auto t = ParseIso8601(expiration);
    if (!t) return bad("an \"Expiration\" that is not an ISO 8601 time (\"" + expiration + "\")");
    c.expiration = *t;
  }
  c.account_id = str("AccountId");
  c.source = "awsCredentialExport (" + std::string(origin) + ")";
  return c;
}

Result<Credentials> RunCredentialExport(const Env& env, ProcessRunner& runner,
                                        const std::string& command,
                                        const CredentialExportOptions& options) {
  std::string what = "awsCredentialExport (" + options.origin + ")";
  ProcessSpec spec;
  spec.shell_command = command;
  spec.timeout = options.timeout;
  spec.max_output_bytes = 1 << 20;
  if (!options.profile.empty()) spec.env["AWS_PROFILE"] = options.profile;
  auto run = runner.Run(spec);
  if (!run.ok()) {
    return MakeError("export.start_failed", "cannot run " + what + ": " + run.error().message,
                     "check awsCredentialExport in " + options.origin);
  }
  if (run->timed_out) {
    return MakeError(
        "export.timeout",
        what + " did not finish within " +
            std::to_string(
                std::chrono::duration_cast<std::chrono::seconds>(options.timeout).count()) +
            " s",
        "run the command by hand to see what it waits for; it cannot prompt (its stdin "
        "is not the terminal)");
  }
  if (run->exit_code != 0) {
    std::string tail = StderrTail(run->stderr_data);
    std::string status = run->term_signal
                             ? "was killed by signal " + std::to_string(run->term_signal)
                             : "exited with status " + std::to_string(run->exit_code);
    return MakeError(
        "export.failed", what + " " + status + (tail.empty() ? "" : ": " + tail),
        "run the command by hand to see the problem; fix it or awsCredentialExport in " +
            options.origin);
  }
  auto creds = ParseExportedCredentials(run->stdout_data, options.origin);
  if (!creds.ok()) return creds;
  if (creds->expiration && *creds->expiration <= env.Now()) {
    return MakeError(
        errc::kExportExpired,
        what + " returned credentials that expired at " + FormatIso8601(*creds->expiration),
        "refresh the login the command relies on (for SSO: aws sso login), then retry");
  }
  creds->profile = options.profile;
  return creds;
}

CredentialExportProvider::CredentialExportProvider(const Env& env, ProcessRunner& runner,
                                                   std::string command,
                                                   CredentialExportOptions options)
    : env_(env), runner_(runner), command_(std::move(command)), options_(std::move(options)) {}

Result<std::optional<Credentials>> CredentialExportProvider::Load() {
  auto creds = RunCredentialExport(env_, runner_, command_, options_);
  if (!creds.ok()) return std::move(creds).error();
  return std::optional<Credentials>(std::move(creds).value());
}

}  // namespace brock
