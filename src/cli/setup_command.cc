#include "cli/setup_command.h"

#include <unistd.h>

#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "aws/config_file.h"
#include "aws/endpoint.h"
#include "aws/ini_edit.h"
#include "aws/region.h"
#include "aws/sso_config.h"
#include "aws/sso_login.h"
#include "aws/sso_portal_client.h"
#include "aws/sso_token_cache.h"
#include "aws/sts_client.h"
#include "base/log.h"
#include "base/secrets.h"
#include "base/strings.h"
#include "bedrock/model_resolver.h"
#include "cli/report_error.h"
#include "cli/session.h"
#include "cli/setup_prompt.h"
#include "settings/settings_edit.h"
#include "settings/settings_locate.h"
#include "settings/trust_store.h"
#include "settings/workspace_trust.h"

namespace brock {

namespace {

constexpr char kUsage[] =
    "Usage: brock setup [--auth sso|static|temporary|api-key] [--profile NAME] [--region R]\n"
    "                   [--model ID|alias] [--scope user|project] [--yes] [--no-verify]\n"
    "                   [--sso-start-url URL] [--sso-region R] [--sso-account ID]\n"
    "                   [--sso-role NAME]\n"
    "\n"
    "Sets brock (and Claude Code) up for Amazon Bedrock as the setup guide describes: AWS\n"
    "authentication, ~/.claude/settings.json (CLAUDE_CODE_USE_BEDROCK, AWS_REGION, AWS_PROFILE,\n"
    "the pinned model), then proves it with STS GetCallerIdentity and a test prompt.\n"
    "Without flags it asks; --yes takes the defaults and asks nothing.\n"
    "Keys are read from AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY [/ AWS_SESSION_TOKEN] (or\n"
    "AWS_BEARER_TOKEN_BEDROCK), else from standard input (one per line), else from prompts that\n"
    "do not echo; never from the command line. docs/setup.md has the details.\n";

constexpr char kTestPrompt[] = "Which state is the Garden State? Answer in one sentence.";

struct SetupFlags {
  std::string auth, profile, region, model, scope = "user";
  std::string sso_start_url, sso_region, sso_account, sso_role;
  bool yes = false, verify = true;
};

void Say(const std::string& line) {
  std::string l = ScrubSecrets(line) + "\n";
  std::fwrite(l.data(), 1, l.size(), stdout);
  std::fflush(stdout);
}

Error SetupError(const std::string& message, const std::string& fix) {
  return MakeError("setup.input", message, fix);
}

// The rest of the run: answers from flags, the prompter (interactive) or defaults (--yes).
class Setup {
 public:
  Setup(Env& env, SetupFlags flags) : env_(env), f_(std::move(flags)) {
    interactive_ = !f_.yes && isatty(STDIN_FILENO);
    if (interactive_) prompter_ = MakeTerminalPrompter();
  }

  int Run();

 private:
  // An answer: the flag when given, else a prompt (interactive), else `fallback`; an error when
  // there is none.
  Result<std::string> Value(const std::string& flag_value, const std::string& question,
                            const std::string& fallback, const std::string& flag_name) {
    if (!flag_value.empty()) return flag_value;
    if (prompter_) {
      auto a = prompter_->Ask(question, fallback);
      if (!a) return SetupError("no answer for: " + question, "run brock setup again");
      if (!Trim(*a).empty()) return std::string(Trim(*a));
    } else if (!fallback.empty()) {
      return fallback;
    }
    return SetupError(question + ": no value", "pass " + flag_name + " (brock setup --help)");
  }
  // A secret: the variable, else a stdin line (stdin not a terminal), else a no-echo prompt.
  Result<std::string> Secret(const char* var, const std::string& what) {
    if (auto v = env_.GetNonEmpty(var)) {
      Say("Using " + what + " from " + var + ".");
      return *v;
    }
    if (!isatty(STDIN_FILENO)) {
      auto line = ReadStdinLine();
      if (line && !Trim(*line).empty()) return std::string(Trim(*line));
      return SetupError(what + " not given",
                        "set " + std::string(var) +
                            " or pass it on standard input (one value per line); never as an "
                            "argument");
    }
    if (!prompter_) prompter_ = MakeTerminalPrompter();
    auto s = prompter_->AskSecret(what);
    if (!s || Trim(*s).empty()) return SetupError(what + " not given", "run brock setup again");
    return std::string(Trim(*s));
  }
  Status WriteIni(const std::string& path, const std::string& header,
                  const std::vector<std::pair<std::string, std::string>>& values, uint32_t mode);
  Status SetupStatic(bool temporary);
  Status SetupSso();
  Status WriteSettings();
  int Verify();

  Env& env_;
  SetupFlags f_;
  bool interactive_ = false;
  std::unique_ptr<SetupPrompter> prompter_;
  std::shared_ptr<const AwsConfig> config_;
  std::string region_, model_id_, bearer_;
  bool auth_refresh_ = false;
  std::vector<std::string> wrote_;  // "path: what" lines for the summary
};

Status Setup::WriteIni(const std::string& path, const std::string& header,
                       const std::vector<std::pair<std::string, std::string>>& values,
                       uint32_t mode) {
  std::string old;
  FileInfo info = env_.Stat(path);
  if (info.exists) {
    auto text = env_.ReadFile(path);
    if (!text.ok()) return text.error();
    old = *text;
  }
  std::string updated = SetIniSection(old, header, values);
  if (info.exists && updated == old) return {};
  if (info.exists) {
    std::string backup = path + ".backup-" + BackupTimestamp(env_.Now());
    if (Status s = env_.WriteFileAtomic(backup, old, 0600); !s.ok()) return s;
    wrote_.push_back(backup + ": backup of " + path);
  }
  if (Status s = env_.WriteFileAtomic(path, updated, mode); !s.ok()) return s;
  std::vector<std::string> keys;
  for (const auto& [k, v] : values) {
    if (!v.empty()) keys.push_back(k);
  }
  wrote_.push_back(path + ": [" + header + "] " + Join(keys, ", "));
  return {};
}

Status Setup::SetupStatic(bool temporary) {
  if (temporary) {
    Say("Temporary keys (ASIA...) come from the AWS access portal and expire, usually within "
        "hours. When they do, requests fail with ExpiredTokenException: copy fresh keys from the "
        "portal and run brock setup --auth temporary again (or use --auth sso to refresh "
        "automatically).");
  }
  auto id = Secret("AWS_ACCESS_KEY_ID", "AWS access key ID");
  if (!id.ok()) return id.error();
  auto secret = Secret("AWS_SECRET_ACCESS_KEY", "AWS secret access key");
  if (!secret.ok()) return secret.error();
  RegisterSecret(*secret);
  std::string token;
  if (temporary) {
    auto t = Secret("AWS_SESSION_TOKEN", "AWS session token");
    if (!t.ok()) return t.error();
    token = *t;
    RegisterSecret(token);
  }
  if (id->size() < 16 || id->find_first_of(" \t") != std::string::npos) {
    return SetupError("the access key ID does not look like one (AKIA... or ASIA...)",
                      "check the key you pasted and run brock setup again");
  }
  std::vector<std::pair<std::string, std::string>> keys = {{"aws_access_key_id", *id},
                                                           {"aws_secret_access_key", *secret}};
  keys.push_back({"aws_session_token", token});  // "" removes a stale one
  return WriteIni(CredentialsFilePath(env_), f_.profile, keys, 0600);
}

Status Setup::SetupSso() {
  const AwsConfig& config = *config_;
  const ProfileSection* p = config.Find(f_.profile);
  std::string config_path = ConfigFilePath(env_);
  std::optional<SsoSessionConfig> session;
  if (p && ProfileUsesSso(*p)) {
    auto s = ResolveSsoSession(config, f_.profile);
    if (!s.ok()) return s.error();
    session = **s;
  } else {
    auto url = Value(f_.sso_start_url, "IAM Identity Center start URL", "", "--sso-start-url");
    if (!url.ok()) return url.error();
    if (!StartsWith(*url, "https://") && !StartsWith(*url, "http://")) {
      return SetupError(
          "the start URL must be an https:// URL such as https://my-org.awsapps.com/start",
          "pass the portal URL from your administrator");
    }
    auto sso_region = Value(f_.sso_region, "IAM Identity Center region", region_, "--sso-region");
    if (!sso_region.ok()) return sso_region.error();
    if (!IsValidRegionName(*sso_region)) {
      return SetupError(*sso_region + " is not a region name",
                        "pass --sso-region us-east-1 or similar");
    }
    if (Status s = WriteIni(config_path, "sso-session " + f_.profile,
                            {{"sso_start_url", *url},
                             {"sso_region", *sso_region},
                             {"sso_registration_scopes", "sso:account:access"}},
                            0600);
        !s.ok()) {
      return s;
    }
    auto reread = LoadAwsConfig(env_);
    if (!reread.ok()) return reread.error();
    config_ = std::make_shared<AwsConfig>(std::move(*reread));
    auto s = ResolveSsoSessionByName(*config_, f_.profile);
    if (!s.ok()) return s.error();
    session = *s;
  }
  // Sign in unless a valid token is cached.
  auto http = MakeCurlHttpClient();
  std::string token;
  auto cached = ReadSsoToken(env_, SsoTokenCachePath(env_, session->cache_key()), f_.profile);
  if (cached.ok() && cached.value() &&
      cached.value()->expires_at > env_.Now() + std::chrono::minutes(5)) {
    token = cached.value()->access_token;
    Say("Already signed in to " + session->start_url + ".");
  } else {
    Say("Signing in to " + session->start_url + " (IAM Identity Center device sign-in).");
    auto login = RunSsoLoginForSession(env_, *http, *config_, *session,
                                       [](std::string_view line) { Say(std::string(line)); });
    if (!login.ok()) return login.error();
    token = login->token.access_token;
    wrote_.push_back(login->cache_path + ": the SSO sign-in (token cache)");
  }
  // The account and role, from the portal's lists.
  std::string account = f_.sso_account, role = f_.sso_role;
  if (p && account.empty()) account = p->Get("sso_account_id").value_or("");
  if (p && role.empty()) role = p->Get("sso_role_name").value_or("");
  auto endpoint = ResolveEndpoint(env_, *config_, f_.profile, "portal.sso", session->region);
  if (!endpoint.ok()) return endpoint.error();
  SsoPortalClient portal(*http, endpoint->url);
  if (account.empty()) {
    auto accounts = portal.ListAccounts(token);
    if (!accounts.ok()) return accounts.error();
    if (accounts->empty()) {
      return SetupError("your IAM Identity Center user has no AWS account",
                        "ask your administrator to assign you an account with Bedrock access");
    }
    std::vector<std::string> names;
    for (const auto& a : *accounts) names.push_back(a.account_id + "  " + a.account_name);
    size_t pick = 0;
    if (prompter_ && accounts->size() > 1) {
      auto c = prompter_->Choose("AWS account:", names, 0);
      if (!c) return SetupError("no account chosen", "run brock setup again");
      pick = *c;
    }
    account = (*accounts)[pick].account_id;
    Say("Account: " + names[pick]);
  }
  if (role.empty()) {
    auto roles = portal.ListAccountRoles(token, account);
    if (!roles.ok()) return roles.error();
    if (roles->empty()) {
      return SetupError("no role in account " + account, "ask your administrator for a role");
    }
    std::vector<std::string> names;
    for (const auto& r : *roles) names.push_back(r.role_name);
    size_t pick = 0;
    if (prompter_ && roles->size() > 1) {
      auto c = prompter_->Choose("Role:", names, 0);
      if (!c) return SetupError("no role chosen", "run brock setup again");
      pick = *c;
    }
    role = names[pick];
    Say("Role: " + role);
  }
  std::vector<std::pair<std::string, std::string>> values = {
      {"sso_account_id", account}, {"sso_role_name", role}, {"region", region_}};
  if (!session->legacy()) values.insert(values.begin(), {"sso_session", session->session_name});
  if (Status s = WriteIni(config_path, ConfigProfileHeader(f_.profile), values, 0600); !s.ok()) {
    return s;
  }
  bool refresh = true;
  if (prompter_) {
    auto c = prompter_->Confirm(
        "Sign in again automatically when the SSO session expires (awsAuthRefresh)?", true);
    refresh = c.value_or(true);
  }
  auth_refresh_ = refresh;
  return {};
}

Status Setup::WriteSettings() {
  std::string user = UserSettingsPath(env_);
  Json env = {{"CLAUDE_CODE_USE_BEDROCK", "1"}, {"AWS_REGION", region_}};
  if (!model_id_.empty()) env["ANTHROPIC_MODEL"] = model_id_;
  if (f_.auth == "api-key") {
    env["AWS_BEARER_TOKEN_BEDROCK"] = bearer_;
  } else if (f_.scope == "user") {
    env["AWS_PROFILE"] = f_.profile;
  }
  Json patch = {{"env", env}};
  if (auth_refresh_) patch["awsAuthRefresh"] = "brock login --profile " + f_.profile;
  auto edit = EditSettingsFile(env_, user, patch, 0600);
  if (!edit.ok()) return edit.error();
  if (!edit->backup_path.empty()) wrote_.push_back(edit->backup_path + ": backup of " + user);
  std::vector<std::string> keys;
  for (auto it = env.begin(); it != env.end(); ++it) keys.push_back("env." + it.key());
  if (auth_refresh_) keys.push_back("awsAuthRefresh");
  wrote_.push_back(user + ": " + Join(keys, ", "));

  if (f_.scope == "project" && f_.auth != "api-key") {
    std::string cwd = env_.CurrentDir();
    ProjectLocation loc = FindProject(env_, cwd);
    std::string root = !loc.root.empty() ? loc.root : !loc.git_root.empty() ? loc.git_root : cwd;
    std::string path = root + "/.claude/settings.json";
    auto pe = EditSettingsFile(env_, path, Json{{"env", {{"AWS_PROFILE", f_.profile}}}}, 0644);
    if (!pe.ok()) return pe.error();
    if (!pe->backup_path.empty()) wrote_.push_back(pe->backup_path + ": backup of " + path);
    wrote_.push_back(path + ": env.AWS_PROFILE");
    std::string dir = TrustDirectoryFor(cwd, FindProject(env_, cwd));
    auto trust = LookUpTrust(env_, dir);
    bool trusted = trust.ok() && trust->state == TrustState::kTrusted;
    if (!trusted && !IsEnvAllowedUntrusted("AWS_PROFILE")) {
      Say("Note: " + dir +
          " is not a trusted project yet, so brock ignores its AWS_PROFILE until you run: brock "
          "trust " +
          dir);
      // The check below still uses the profile just set up.
      env_.SetVar("AWS_PROFILE", f_.profile, "brock setup");
    }
  }
  return {};
}

int Setup::Verify() {
  Say("\nChecking the setup...");
  auto opened = Session::Open(env_, CliOptions{});
  if (!opened.ok()) return ReportError(opened.error());
  Session& s = **opened;
  if (CredentialSource* source = s.credentials()) {
    auto creds = source->Get();
    if (!creds.ok()) return ReportError(creds.error());
    auto endpoint = ResolveStsEndpoint(env_, *s.aws_config(), s.connection().profile);
    if (!endpoint.ok()) return ReportError(endpoint.error());
    StsClient sts(env_, s.http(), *endpoint);
    auto who = sts.GetCallerIdentity(*creds);
    if (!who.ok()) return ReportError(who.error());
    Say("STS GetCallerIdentity: account " + who->account + ", " + who->arn);
  } else {
    Say("Authentication: " + s.provenance().auth.value + " (no STS identity to check)");
  }
  Json body = {{"anthropic_version", "bedrock-2023-05-31"},
               {"max_tokens", 100},
               {"messages", {{{"role", "user"}, {"content", kTestPrompt}}}}};
  Say("Test prompt to " + s.model().model_id + ": " + kTestPrompt);
  auto reply = s.runtime().Invoke(s.model().model_id, body);
  if (!reply.ok()) return ReportError(reply.error());
  std::string text;
  if (reply->contains("content") && (*reply)["content"].is_array()) {
    for (const auto& block : (*reply)["content"]) {
      if (block.value("type", "") == "text") text += block.value("text", "");
    }
  }
  Say("Answer: " + text);
  return 0;
}

int Setup::Run() {
  auto aws = Session::Open(env_, CliOptions{}, {}, Session::Depth::kAws);
  if (!aws.ok()) return ReportError(aws.error());
  config_ = (*aws)->aws_config();

  // 1. How to authenticate.
  const std::vector<std::string> kinds = {"sso", "static", "temporary", "api-key"};
  if (f_.auth.empty()) {
    if (prompter_) {
      auto c =
          prompter_->Choose("How do you sign in to AWS?",
                            {"IAM Identity Center (SSO) profile (recommended)",
                             "Static IAM access keys (service user / CI)",
                             "Temporary keys copied from the AWS access portal", "Bedrock API key"},
                            0);
      if (!c) return ReportError(SetupError("no answer", "run brock setup again"));
      f_.auth = kinds[*c];
    } else {
      const ProfileSection* p = config_->Find(f_.profile.empty() ? "default" : f_.profile);
      if (p && ProfileUsesSso(*p)) {
        f_.auth = "sso";
      } else {
        return ReportError(
            SetupError("--yes needs --auth", "pass --auth sso|static|temporary|api-key"));
      }
    }
  }
  // 2. Region.
  std::string region_default = env_.GetNonEmpty("AWS_REGION").value_or("us-east-1");
  auto region = Value(f_.region, "AWS region for Bedrock", region_default, "--region");
  if (!region.ok()) return ReportError(region.error());
  if (!IsValidRegionName(*region)) {
    return ReportError(SetupError(*region + " is not an AWS region name",
                                  "pass a region such as us-east-1 (--region)"));
  }
  region_ = *region;
  // 3. Profile.
  if (f_.auth != "api-key") {
    std::string fallback = f_.auth == "sso"
                               ? env_.GetNonEmpty("AWS_PROFILE").value_or("bedrock-sso")
                               : "bedrock-claude";
    auto profile = Value(f_.profile, "AWS profile name", fallback, "--profile");
    if (!profile.ok()) return ReportError(profile.error());
    if (!IsValidProfileName(*profile)) {
      return ReportError(SetupError("\"" + *profile + "\" is not a usable profile name",
                                    "use letters, digits, '-', '_' or '.'"));
    }
    f_.profile = *profile;
  }
  // 4. Credentials.
  Status st;
  if (f_.auth == "static" || f_.auth == "temporary") {
    st = SetupStatic(f_.auth == "temporary");
    if (st.ok()) {
      st = WriteIni(ConfigFilePath(env_), ConfigProfileHeader(f_.profile), {{"region", region_}},
                    0600);
    }
  } else if (f_.auth == "sso") {
    st = SetupSso();
  } else {
    Say("The trade-offs of a Bedrock API key: it is a long-lived bearer secret: anyone who has it "
        "can call Bedrock as "
        "you until it expires or is revoked, and it bypasses your SSO session and MFA. Prefer "
        "SSO or IAM roles where you can. brock stores it only in " +
        UserSettingsPath(env_) + " (mode 0600), never in a project file.");
    auto key = Secret("AWS_BEARER_TOKEN_BEDROCK", "Bedrock API key");
    if (!key.ok()) return ReportError(key.error());
    bearer_ = *key;
    RegisterSecret(bearer_);
  }
  if (!st.ok()) return ReportError(st.error());
  // 5. The model to pin.
  auto model = Value(f_.model, "Model to pin (alias or inference profile ID)", "sonnet", "--model");
  if (!model.ok()) return ReportError(model.error());
  auto alias = ResolveModelAlias(env_, *model, region_, "--model");
  if (!alias.ok()) return ReportError(alias.error());
  model_id_ = alias.value() ? alias.value()->model_id : *model;
  // 6. Settings.
  if (Status s = WriteSettings(); !s.ok()) return ReportError(s.error());
  Say("\nWrote:");
  for (const auto& w : wrote_) Say("  " + w);
  Say("Restart brock (and Claude Code) to pick up the new settings.");
  if (!f_.verify) return 0;
  // The new settings apply to this process from here on.
  if (f_.auth != "api-key" && env_.GetNonEmpty("AWS_BEARER_TOKEN_BEDROCK")) {
    env_.UnsetVar("AWS_BEARER_TOKEN_BEDROCK", "brock setup");
  }
  return Verify();
}

}  // namespace

int RunSetupCommand(int argc, char** argv) {
  SetupFlags f;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    std::string value;
    size_t eq = arg.find('=');
    bool has_inline = StartsWith(arg, "--") && eq != std::string::npos;
    std::string flag = has_inline ? arg.substr(0, eq) : arg;
    auto next = [&](std::string* out) {
      if (has_inline) {
        *out = arg.substr(eq + 1);
        return true;
      }
      if (i + 1 >= argc) return false;
      *out = argv[++i];
      return true;
    };
    auto usage = [&](const std::string& problem) {
      std::fprintf(stderr, "Error: %s\n\n%s", problem.c_str(), kUsage);
      return 2;
    };
    if (flag == "-h" || flag == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (flag == "--yes" || flag == "-y") {
      f.yes = true;
    } else if (flag == "--no-verify") {
      f.verify = false;
    } else if (flag == "--debug" || flag == "-d") {
      SetDebugLogging(true);
    } else if (flag == "--auth" || flag == "--profile" || flag == "--region" || flag == "--model" ||
               flag == "--scope" || flag == "--sso-start-url" || flag == "--sso-region" ||
               flag == "--sso-account" || flag == "--sso-role") {
      if (!next(&value) || value.empty()) return usage(flag + " needs a value");
      if (flag == "--auth") f.auth = value;
      if (flag == "--profile") f.profile = value;
      if (flag == "--region") f.region = value;
      if (flag == "--model") f.model = value;
      if (flag == "--scope") f.scope = value;
      if (flag == "--sso-start-url") f.sso_start_url = value;
      if (flag == "--sso-region") f.sso_region = value;
      if (flag == "--sso-account") f.sso_account = value;
      if (flag == "--sso-role") f.sso_role = value;
    } else if (flag == "--access-key" || flag == "--secret-key" || flag == "--secret-access-key" ||
               flag == "--session-token" || flag == "--api-key") {
      return usage(flag +
                   " is not accepted: secrets on the command line end up in shell history and "
                   "process lists. Set AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / "
                   "AWS_SESSION_TOKEN / AWS_BEARER_TOKEN_BEDROCK, or pipe them on standard input");
    } else {
      return usage("unknown argument: " + arg);
    }
  }
  if (!f.auth.empty() && f.auth != "sso" && f.auth != "static" && f.auth != "temporary" &&
      f.auth != "api-key") {
    std::fprintf(stderr, "Error: --auth %s: use sso, static, temporary or api-key\n",
                 f.auth.c_str());
    return 2;
  }
  if (f.scope != "user" && f.scope != "project") {
    std::fprintf(stderr, "Error: --scope %s: use user or project\n", f.scope.c_str());
    return 2;
  }
  Setup setup(RealEnv(), std::move(f));
  return setup.Run();
}

}  // namespace brock
