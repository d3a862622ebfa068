#include "cli/doctor_command.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "aws/ca_bundle.h"
#include "aws/config_file.h"
#include "aws/credential_time.h"
#include "aws/env_credentials.h"
#include "aws/region.h"
#include "aws/sso_config.h"
#include "aws/sso_token_cache.h"
#include "aws/sts_client.h"
#include "base/error_codes.h"
#include "base/json.h"
#include "base/log.h"
#include "base/secrets.h"
#include "base/strings.h"
#include "bedrock/model_resolver.h"
#include "cli/guide_context.h"
#include "cli/session.h"
#include "settings/settings_locate.h"

namespace brock {

namespace {

constexpr char kUsage[] =
    "Usage: brock doctor [--json] [--offline] [--debug]\n"
    "\n"
    "Checks the Bedrock setup step by step (settings files, CLAUDE_CODE_USE_BEDROCK, region,\n"
    "profile, stale AWS variables, SSO login, credentials, models, network, project trust, then\n"
    "STS, the model catalog and one tiny request per configured model) and prints each check\n"
    "with its status, cause and fix. Exits 1 when a check fails. --offline skips the network.\n";

struct Check {
  std::string id, title, status, detail, cause, fix;
};

class Doctor {
 public:
  void Add(std::string id, std::string title, std::string status, std::string detail,
           std::string cause = "", std::string fix = "") {
    checks_.push_back({std::move(id), std::move(title), std::move(status), std::move(detail),
                       std::move(cause), std::move(fix)});
  }
  void Fail(std::string id, std::string title, const Error& e, std::string cause = "") {
    Add(std::move(id), std::move(title), "fail", e.message, std::move(cause), e.fix);
  }
  bool Failed() const {
    return std::any_of(checks_.begin(), checks_.end(),
                       [](const Check& c) { return c.status == "fail"; });
  }
  const std::vector<Check>& checks() const { return checks_; }

 private:
  std::vector<Check> checks_;
};

std::string Origin(const Env& env, const char* var) {
  return std::string(var) + " (from " + env.VarOrigin(var) + ")";
}

void CheckSettingsFiles(Env& env, Doctor& d) {
  std::vector<std::string> paths = {UserSettingsPath(env)};
  ProjectLocation project = FindProject(env, env.CurrentDir());
  if (!project.root.empty()) {
    paths.push_back(project.root + "/.claude/settings.json");
    paths.push_back(project.root + "/.claude/settings.local.json");
  }
  for (const auto& p : ManagedSettingsPaths(env, kManagedSettingsDir)) paths.push_back(p);
  std::vector<std::string> found;
  for (const auto& path : paths) {
    FileInfo info = env.Stat(path);
    if (!info.exists) continue;
    auto text = env.ReadFile(path);
    if (!text.ok()) {
      d.Add("settings.files", "Settings files", "fail", "cannot read " + path, text.error().message,
            "fix the file's permissions");
      return;
    }
    auto parsed = ParseJson(*text, path);
    if (!parsed.ok()) {
      d.Add("settings.files", "Settings files", "fail", parsed.error().message,
            path + " is not valid JSON, so none of its settings apply",
            "fix the JSON at that line and column (a missing comma or quote is usual), then "
            "restart brock");
      return;
    }
    if (!parsed->is_object()) {
      d.Add("settings.files", "Settings files", "fail", path + ": the top level is not an object",
            "a settings file must be a JSON object", "make the file a JSON object ({...})");
      return;
    }
    found.push_back(path);
  }
  d.Add("settings.files", "Settings files", "ok",
        found.empty() ? "no settings files (looked at " + paths[0] + " and the project)"
                      : Join(found, ", ") + " parse");
}

void CheckBedrockEnabled(Env& env, Doctor& d) {
  if (env.GetBool("CLAUDE_CODE_USE_BEDROCK")) {
    d.Add("bedrock.enabled", "Bedrock mode", "ok",
          "CLAUDE_CODE_USE_BEDROCK=" + *env.GetVar("CLAUDE_CODE_USE_BEDROCK") + " · " +
              env.VarOrigin("CLAUDE_CODE_USE_BEDROCK"));
    return;
  }
  d.Add("bedrock.enabled", "Bedrock mode", "warn", "CLAUDE_CODE_USE_BEDROCK is not set",
        "brock always talks to Bedrock, but Claude Code reading the same settings does not",
        "add \"CLAUDE_CODE_USE_BEDROCK\": \"1\" to the env block of ~/.claude/settings.json "
        "(brock setup writes it)");
}

void CheckRegion(Env& env, const AwsConfig& config, Doctor& d) {
  auto region = ResolveRegion(env, config, ActiveProfileName(env));
  if (!region.ok()) {
    d.Fail("region", "Region", region.error(),
           "AWS_REGION isn't set (or isn't being picked up): region error on startup");
    return;
  }
  if (!StartsWith(region->origin, "AWS_REGION")) {
    d.Add("region", "Region", "warn", region->region + " · " + region->origin,
          "the region comes from " + region->origin +
              "; Claude Code does not read the region from ~/.aws/config",
          "set AWS_REGION in the env block of ~/.claude/settings.json (or the shell), then "
          "restart");
    return;
  }
  d.Add("region", "Region", "ok", region->region + " · " + region->origin);
}

void CheckProfile(Env& env, const AwsConfig& config, Doctor& d) {
  ProfileSelection sel = SelectProfile(env);
  std::vector<std::string> names;
  for (const auto& [name, section] : config.profiles) names.push_back(name);
  std::string existing = names.empty() ? "none" : Join(names, ", ");
  const ProfileSection* p = config.Find(sel.name);
  if (!sel.explicit_) {
    d.Add("profile", "AWS profile",
          p || EnvHasAccessKeys(env) || env.GetNonEmpty("AWS_BEARER_TOKEN_BEDROCK") ? "ok" : "warn",
          "AWS_PROFILE is not set; " +
              std::string(p ? "the default profile applies" : "no default profile") +
              " (profiles: " + existing + ")",
          p ? "" : "without a profile, keys or an API key brock finds no AWS credentials",
          p ? "" : "set AWS_PROFILE in ~/.claude/settings.json, or run brock setup");
    return;
  }
  if (!p) {
    d.Add("profile", "AWS profile", "fail",
          "AWS_PROFILE=" + sel.name + " · " + sel.origin + "; profiles in " + config.config_path +
              " and " + config.credentials_path + ": " + existing,
          "the profile you logged in with doesn't match AWS_PROFILE: no profile is named \"" +
              sel.name + "\"",
          "set AWS_PROFILE to one of the profiles above exactly (case matters), or create it "
          "with: brock setup --profile " +
              sel.name);
    return;
  }
  std::string kind = ProfileCredentialType(*p);
  d.Add("profile", "AWS profile", "ok",
        sel.name + " · " + sel.origin + (kind.empty() ? "" : " (" + kind + ")"));
}

void CheckStaleKeys(Env& env, Doctor& d) {
  ProfileSelection sel = SelectProfile(env);
  std::vector<std::string> set;
  for (const char* v : {"AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN"}) {
    if (env.GetNonEmpty(v)) set.push_back(Origin(env, v));
  }
  if (set.empty()) {
    d.Add("env.stale_keys", "AWS variables", "ok", "no AWS key variables are set");
    return;
  }
  if (!sel.explicit_) {
    d.Add("env.stale_keys", "AWS variables", "ok",
          "keys from the environment are used: " + Join(set, ", "));
    return;
  }
  d.Add("env.stale_keys", "AWS variables", "fail",
        Join(set, ", ") + " set next to AWS_PROFILE=" + sel.name,
        "stale environment variables can override the profile (other AWS tools and Claude Code "
        "use them first)",
        "run `env | grep AWS_` and unset the keys you find (unset AWS_ACCESS_KEY_ID "
        "AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN), or remove them from the settings file named");
}

void CheckAnthropicAuth(Env& env, const Settings& settings, Doctor& d) {
  std::vector<std::string> found;
  for (const char* v : {"ANTHROPIC_API_KEY", "ANTHROPIC_AUTH_TOKEN"}) {
    if (env.GetNonEmpty(v)) found.push_back(Origin(env, v));
  }
  if (settings.merged && settings.merged->contains("apiKeyHelper")) {
    found.push_back("apiKeyHelper in the settings");
  }
  if (found.empty()) {
    d.Add("auth.anthropic", "Anthropic login", "ok",
          "no Anthropic API key or login settings; Bedrock uses AWS auth");
    return;
  }
  d.Add("auth.anthropic", "Anthropic login", "warn", Join(found, ", ") + " set",
        "Bedrock uses AWS auth, not an Anthropic API key or /login; these are ignored",
        "use AWS auth (brock login / aws sso login, profiles, IAM keys) and remove the Anthropic "
        "key settings");
}

void CheckSsoToken(Env& env, const AwsConfig& config, Doctor& d) {
  std::string profile = ActiveProfileName(env);
  auto sso = ResolveSsoProfile(config, profile);
  if (!sso.ok()) {
    d.Fail("sso.token", "SSO login", sso.error());
    return;
  }
  if (!sso.value()) return;  // not an SSO profile: no row
  std::string path = SsoTokenCachePath(env, sso.value()->session.cache_key());
  std::string login =
      "brock login --profile " + profile + " (or aws sso login --profile " + profile + ")";
  auto token = ReadSsoToken(env, path, profile);
  if (!token.ok()) {
    d.Fail("sso.token", "SSO login", token.error());
    return;
  }
  if (!token.value()) {
    d.Add("sso.token", "SSO login", "fail", "no cached SSO login for profile " + profile,
          "nobody signed in to " + sso.value()->session.start_url + " on this machine yet",
          "run: " + login);
    return;
  }
  const SsoToken& t = **token;
  auto left = std::chrono::duration_cast<std::chrono::minutes>(t.expires_at - env.Now());
  if (left.count() < 0) {
    if (t.CanRefresh(env.Now())) {
      d.Add("sso.token", "SSO login", "warn",
            "the SSO access token expired " + std::to_string(-left.count()) +
                " min ago; brock renews it with the refresh token",
            "", "if renewing fails, run: " + login);
    } else {
      d.Add("sso.token", "SSO login", "fail",
            "the SSO login expired at " + FormatIso8601(t.expires_at),
            "ExpiredTokenException: the SSO session is over", "run: " + login);
    }
    return;
  }
  if (left.count() < 15 && !t.CanRefresh(env.Now())) {
    d.Add("sso.token", "SSO login", "warn",
          "the SSO login expires in " + std::to_string(left.count()) + " min",
          "requests fail once it expires", "run: " + login + " (or add awsAuthRefresh)");
    return;
  }
  d.Add("sso.token", "SSO login", "ok",
        "signed in; the token expires " + FormatIso8601(t.expires_at) + " (" + path + ")");
}

void CheckNetwork(Env& env, Session& s, Doctor& d) {
  std::vector<std::string> parts;
  for (const char* v :
       {"HTTPS_PROXY", "https_proxy", "HTTP_PROXY", "http_proxy", "NO_PROXY", "no_proxy",
        "AWS_ENDPOINT_URL", "AWS_ENDPOINT_URL_BEDROCK_RUNTIME", "AWS_ENDPOINT_URL_BEDROCK",
        "AWS_ENDPOINT_URL_STS", "ANTHROPIC_BEDROCK_BASE_URL"}) {
    if (auto value = env.GetNonEmpty(v)) {
      parts.push_back(std::string(v) + "=" + ScrubSecrets(*value) + " (from " + env.VarOrigin(v) +
                      ")");
    }
  }
  auto ca = ResolveCaBundle(env, *s.aws_config(), ActiveProfileName(env));
  if (!ca.ok()) {
    d.Fail("network", "Network", ca.error(), "the CA bundle cannot be used");
    return;
  }
  parts.push_back(ca->path.empty() ? "CA: the system certificates"
                                   : "CA bundle " + ca->path + " (" + ca->origin + ")");
  parts.push_back("endpoint " + s.provenance().endpoint.value + " (" +
                  s.provenance().endpoint.origin + ")");
  d.Add("network", "Network", "ok", Join(parts, "; "));
}

void CheckTrust(Session& s, Doctor& d) {
  if (s.project_trusted()) {
    d.Add("trust", "Project trust", "ok",
          "project settings apply in full (" + s.trust_directory() + ")");
    return;
  }
  std::vector<std::string> ignored;
  for (const auto& i : s.settings().ignored) ignored.push_back(i.key + " in " + i.file);
  d.Add("trust", "Project trust", ignored.empty() ? "ok" : "warn",
        s.trust_directory() + " is not trusted" +
            (ignored.empty() ? "; its files ask for nothing trust governs"
                             : "; ignored: " + Join(ignored, ", ")),
        ignored.empty() ? "" : "an untrusted project cannot set credentials, endpoints or hooks",
        ignored.empty() ? "" : "if you trust it: brock trust " + s.trust_directory());
}

// The configured models worth checking: the session model and the pinned tiers, once each.
std::vector<ConfiguredModel> ModelsToCheck(Session& s) {
  std::vector<ConfiguredModel> out;
  for (auto& c : ConfiguredModels(s)) {
    if (c.role != "model" && !c.pinned) continue;
    bool dup = std::any_of(out.begin(), out.end(),
                           [&](const ConfiguredModel& o) { return o.model_id == c.model_id; });
    if (!dup) out.push_back(c);
  }
  return out;
}

constexpr char kModelCause[] = "incorrect ANTHROPIC_MODEL value or mismatched region/model";
constexpr char kModelFix[] =
    "remove the pin to test; then re-add it using a cross-region inference profile ID from "
    "`brock models` (e.g. us.anthropic.claude-sonnet-4-6 in a us- region)";

void CheckModelValues(Session& s, Doctor& d) {
  std::string region = s.connection().region;
  std::string prefix = InferenceProfilePrefix(region);
  std::vector<std::string> rows;
  for (const auto& c : ConfiguredModels(s)) {
    rows.push_back(c.role + "=" + c.model_id + " (" + c.origin + ")");
    if (c.role != "model" && !c.pinned) continue;
    if (LooksLikeBareFoundationModelId(c.model_id)) {
      d.Add("model", "Model", "fail", c.role + " is " + c.model_id + " · " + c.origin,
            std::string(kModelCause) +
                ": a bare foundation model ID, which current Claude "
                "models only accept through a cross-region profile",
            "use " + prefix + c.model_id + " instead (" + kModelFix + ")");
      return;
    }
    for (const char* p : {"us-gov.", "us.", "eu.", "apac.", "jp.", "au."}) {
      if (StartsWith(c.model_id, p) && prefix != "global." && !StartsWith(c.model_id, prefix)) {
        d.Add("model", "Model", "fail", c.role + " is " + c.model_id + " · " + c.origin,
              std::string(kModelCause) + ": a " + p + " profile does not serve region " + region,
              "use the " + prefix + " profile (" + kModelFix + ")");
        return;
      }
      if (StartsWith(c.model_id, p)) break;
    }
  }
  d.Add("model", "Model", "ok", Join(rows, "; "));
}

void CheckOnline(Session& s, Doctor& d) {
  Env& env = s.env();
  // STS identity.
  if (CredentialSource* source = s.credentials()) {
    auto creds = source->Get();
    if (creds.ok()) {
      auto endpoint = ResolveStsEndpoint(env, *s.aws_config(), s.connection().profile);
      if (!endpoint.ok()) {
        d.Fail("sts.identity", "AWS identity", endpoint.error());
      } else {
        StsClient sts(env, s.http(), *endpoint);
        auto who = sts.GetCallerIdentity(*creds);
        if (who.ok()) {
          d.Add("sts.identity", "AWS identity", "ok", "account " + who->account + ", " + who->arn);
        } else {
          d.Fail("sts.identity", "AWS identity", who.error(),
                 "STS rejected the credentials from " + creds->source);
        }
      }
    } else {
      d.Add("sts.identity", "AWS identity", "skip", "no credentials (see above)");
    }
  } else {
    d.Add("sts.identity", "AWS identity", "skip", s.provenance().auth.value + ": no AWS identity");
  }

  // Catalog.
  std::vector<ConfiguredModel> models = ModelsToCheck(s);
  auto client = MakeControlPlaneClient(s);
  std::optional<BedrockCatalog> catalog;
  if (!client.ok()) {
    d.Fail("models.catalog", "Model catalog", client.error());
  } else {
    auto c = LoadSessionCatalog(s, **client, /*refresh=*/true);
    if (c.ok()) {
      catalog = std::move(*c);
      d.Add("models.catalog", "Model catalog", "ok",
            std::to_string(catalog->profiles.size()) + " inference profiles and " +
                std::to_string(catalog->models.size()) + " foundation models in " +
                s.connection().region);
    } else {
      std::string cause = errc::IsAwsException(c.error(), "AccessDeniedException")
                              ? "missing IAM permission for the Bedrock control plane"
                              : "";
      d.Fail("models.catalog", "Model catalog", c.error(), cause);
    }
  }
  if (catalog) {
    std::vector<std::string> missing, present;
    for (const auto& m : models) {
      bool known = catalog->FindProfile(m.model_id) || catalog->FindModel(m.model_id);
      (known ? present : missing).push_back(m.model_id + " (" + m.origin + ")");
    }
    if (!missing.empty()) {
      d.Add("models.present", "Models in region", "fail",
            "not offered in " + s.connection().region + ": " + Join(missing, ", "), kModelCause,
            kModelFix);
    } else {
      d.Add("models.present", "Models in region", "ok", Join(present, ", "));
    }
  } else {
    d.Add("models.present", "Models in region", "skip", "the catalog could not be read");
  }

  // One tiny request each.
  Json body = {{"anthropic_version", "bedrock-2023-05-31"},
               {"max_tokens", 1},
               {"messages", {{{"role", "user"}, {"content", "ping"}}}}};
  std::vector<std::string> ok;
  for (const auto& m : models) {
    auto reply = s.runtime().Invoke(m.model_id, body);
    if (reply.ok()) {
      ok.push_back(m.model_id);
      continue;
    }
    const Error& e = reply.error();
    if (errc::IsAwsException(e, "AccessDeniedException")) {
      d.Add(
          "models.invoke", "Model access", "fail", m.model_id + ": " + e.message,
          "missing IAM permission (bedrock:InvokeModel, and bedrock:InvokeModelWithResponseStream "
          "for streaming) and/or model access not granted in the Bedrock console",
          "allow bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on the model's "
          "inference-profile and foundation-model ARNs (`brock policy` prints the policy); "
          "check the Bedrock console's model access for your account and region");
    } else if (errc::IsAwsException(e, "ValidationException") ||
               errc::IsAwsException(e, "ResourceNotFoundException")) {
      d.Add("models.invoke", "Model access", "fail", m.model_id + ": " + e.message, kModelCause,
            kModelFix);
    } else {
      d.Fail("models.invoke", "Model access", e);
    }
    return;
  }
  if (ok.empty()) {
    d.Add("models.invoke", "Model access", "skip", "no model to try");
  } else {
    d.Add("models.invoke", "Model access", "ok", "answered: " + Join(ok, ", "));
  }
}

void PrintText(const Doctor& d) {
  for (const Check& c : d.checks()) {
    const char* mark = c.status == "ok"     ? "ok  "
                       : c.status == "warn" ? "WARN"
                       : c.status == "fail" ? "FAIL"
                                            : "skip";
    std::string title = c.title;
    title.resize(18, ' ');
    std::string line = std::string(mark) + "  " + title + ScrubSecrets(c.detail) + "\n";
    if (!c.cause.empty())
      line += "      " + std::string(18, ' ') + "cause: " + ScrubSecrets(c.cause) + "\n";
    if (!c.fix.empty())
      line += "      " + std::string(18, ' ') + "fix:   " + ScrubSecrets(c.fix) + "\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
  std::puts(d.Failed()
                ? "\nSomething is wrong: fix the FAIL rows above, then run brock doctor again."
                : "\nbrock is ready to use Bedrock.");
}

}  // namespace

int RunDoctorCommand(int argc, char** argv) {
  bool json = false, offline = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "--json") {
      json = true;
    } else if (arg == "--offline") {
      offline = true;
    } else if (arg == "--debug" || arg == "-d") {
      SetDebugLogging(true);
    } else {
      std::fprintf(stderr, "Error: unknown argument: %.*s\n\n%s", static_cast<int>(arg.size()),
                   arg.data(), kUsage);
      return 2;
    }
  }
  Env& env = RealEnv();
  Doctor d;
  CheckSettingsFiles(env, d);
  auto aws = Session::Open(env, CliOptions{}, {}, Session::Depth::kAws);
  if (!aws.ok()) {
    if (!StartsWith(aws.error().code, "settings.") || !d.Failed()) {
      d.Fail("setup", "Setup", aws.error());
    }
  } else {
    Session& a = **aws;
    const AwsConfig& config = *a.aws_config();
    CheckBedrockEnabled(env, d);
    CheckRegion(env, config, d);
    CheckProfile(env, config, d);
    CheckStaleKeys(env, d);
    CheckAnthropicAuth(env, a.settings(), d);
    CheckSsoToken(env, config, d);
    if (!env.GetVar("CLAUDE_CODE_MAX_RETRIES")) {
      env.SetVar("CLAUDE_CODE_MAX_RETRIES", "1", "brock doctor");
    }
    auto opened = Session::Open(env, CliOptions{});
    if (!opened.ok()) {
      const Error& e = opened.error();
      if (!StartsWith(e.code, "region.")) d.Fail("credentials", "Credentials", e);
    } else {
      Session& s = **opened;
      if (CredentialSource* source = s.credentials()) {
        auto creds = source->Get();
        if (creds.ok()) {
          d.Add("credentials", "Credentials", "ok",
                creds->source + ", key " + DescribeAccessKeyId(creds->access_key_id) +
                    (creds->expiration ? ", expire " + FormatIso8601(*creds->expiration)
                                       : ", long-term (no expiry)"));
        } else {
          d.Fail("credentials", "Credentials", creds.error(),
                 "no usable AWS credentials for the selected profile");
        }
      } else {
        d.Add("credentials", "Credentials", "ok", s.provenance().auth.value);
      }
      CheckModelValues(s, d);
      CheckNetwork(env, s, d);
      CheckTrust(s, d);
      if (offline) {
        for (const char* id :
             {"sts.identity", "models.catalog", "models.present", "models.invoke"}) {
          d.Add(id, id, "skip", "--offline");
        }
      } else {
        CheckOnline(s, d);
      }
    }
  }
  if (json) {
    Json checks = Json::array();
    for (const Check& c : d.checks()) {
      checks.push_back({{"id", c.id},
                        {"title", c.title},
                        {"status", c.status},
                        {"detail", ScrubSecrets(c.detail)},
                        {"cause", ScrubSecrets(c.cause)},
                        {"fix", ScrubSecrets(c.fix)}});
    }
    std::string text = Json{{"ok", !d.Failed()}, {"checks", checks}}.dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
  } else {
    PrintText(d);
  }
  return d.Failed() ? 1 : 0;
}

}  // namespace brock
