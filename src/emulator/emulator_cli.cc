#include "emulator/emulator_cli.h"

#include <signal.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "base/error_codes.h"
#include "base/strings.h"
#include "emulator/http_server.h"

namespace brock {

std::string EmulatorUsage() {
  return R"(usage: brock-emulator [flags]

A local Amazon Bedrock runtime emulator (InvokeModel, InvokeModelWithResponseStream) for tests
and demos, with the services the credential chain uses (SSO-OIDC, the SSO portal, STS, IMDSv2,
container credentials) on the same port. Listens on a loopback address only. See
docs/emulator.md.

  --host ADDR            loopback address to listen on (default 127.0.0.1)
  --port N               port (default 0: pick a free one)
  --port-file FILE       write the bound port to FILE (atomically) once listening
  --tls-cert FILE        serve HTTPS with this PEM certificate (chain); needs --tls-key
  --tls-key FILE         the PEM private key of --tls-cert
  --script FILE          JSON script of replies and faults (default: built-in replies)
  --access-key ID:SECRET accepted SigV4 key pair (repeatable; default: the test pair
                         AKIDEMULATOREXAMPLE / emulatorSecretKey/EXAMPLEKEY0123456789abcd)
  --session-token TOKEN  require this X-Amz-Security-Token on signed requests
  --expired-token VALUE  answer requests using this session token, access key id or bearer
                         token with ExpiredTokenException (repeatable)
  --bearer-token TOKEN   accept "Authorization: Bearer TOKEN" (a Bedrock API key)
  --no-auth              accept unsigned requests (for CLAUDE_CODE_SKIP_BEDROCK_AUTH)
  --region REGION        the region signatures must be scoped to (default us-east-1)
  --allow-model ID       accept only these model ids (repeatable; default: any id
                         containing "anthropic.claude")
  --sso-access-token T   accept T as an issued IAM Identity Center access token (repeatable)
  --sso-refresh-token T:CLIENT_ID:CLIENT_SECRET
                         accept refresh token T for that registered client (repeatable)
  --sso-access-token-seconds N
                         lifetime of access tokens issued by CreateToken (default 28800)
  --sso-credentials-seconds N
                         lifetime of GetRoleCredentials results (default 3600)
  --issued-credentials-seconds N
                         lifetime of credentials issued by STS, IMDS and the container
                         endpoint (default 3600); after it the runtime answers
                         ExpiredTokenException for them
  --issued-credentials-seed SEED
                         make issued credentials deterministic (see docs/emulator.md)
  --web-identity-token T accept only T in AssumeRoleWithWebIdentity (default: any token)
  --sts-deny-role ARN    AssumeRole / AssumeRoleWithWebIdentity of ARN: AccessDenied
                         (repeatable)
  --container-token T    the container credentials endpoint wants "Authorization: T"
  --container-path PATH  path of the container credentials endpoint
                         (default /container-credentials)
  --imds-role NAME       the instance role IMDS reports (default emulator-ec2-role)
  --deny-action ACTION   answer this IAM action (bedrock:InvokeModel,
                         bedrock:ListInferenceProfiles, ...) with AccessDeniedException
                         (repeatable)
  --request-log FILE     append every request received as a JSON line to FILE
  --quiet                print nothing but errors
  --help                 this text
)";
}

Result<EmulatorCliOptions> ParseEmulatorArgs(const std::vector<std::string>& args) {
  EmulatorCliOptions out;
  auto usage = [](const std::string& what) {
    return MakeError(errc::kEmulatorUsage, what, "run brock-emulator --help for the flags");
  };
  for (size_t i = 0; i < args.size(); ++i) {
    std::string flag = args[i];
    std::string value;
    bool has_inline = false;
    size_t eq = flag.find('=');
    if (StartsWith(flag, "--") && eq != std::string::npos) {
      value = flag.substr(eq + 1);
      flag = flag.substr(0, eq);
      has_inline = true;
    }
    auto next = [&]() -> Result<std::string> {
      if (has_inline) return value;
      if (i + 1 >= args.size()) return usage(flag + " needs a value");
      return args[++i];
    };
    if (flag == "--help" || flag == "-h") {
      out.help = true;
    } else if (flag == "--no-auth") {
      out.emulator.no_auth = true;
    } else if (flag == "--quiet" || flag == "-q") {
      out.quiet = true;
    } else if (flag == "--host" || flag == "--port" || flag == "--port-file" ||
               flag == "--script" || flag == "--access-key" || flag == "--session-token" ||
               flag == "--expired-token" || flag == "--bearer-token" || flag == "--region" ||
               flag == "--allow-model" || flag == "--request-log" || flag == "--sso-access-token" ||
               flag == "--sso-refresh-token" || flag == "--sso-credentials-seconds" ||
               flag == "--sso-access-token-seconds" || flag == "--issued-credentials-seconds" ||
               flag == "--issued-credentials-seed" || flag == "--web-identity-token" ||
               flag == "--sts-deny-role" || flag == "--container-token" ||
               flag == "--container-path" || flag == "--imds-role" || flag == "--tls-cert" ||
               flag == "--tls-key" || flag == "--deny-action") {
      auto v = next();
      if (!v) return v.error();
      const std::string& s = *v;
      if (flag == "--host") {
        if (!IsLoopbackHost(s)) {
          return MakeError("emulator.host", "refusing --host " + s + ": not a loopback address",
                           "use --host 127.0.0.1 (the emulator only serves this machine)");
        }
        out.emulator.host = s;
      } else if (flag == "--port") {
        char* end = nullptr;
        long p = std::strtol(s.c_str(), &end, 10);
        if (s.empty() || *end != '\0' || p < 0 || p > 65535) {
          return usage("--port " + s + " is not a port number (0-65535)");
        }
        out.emulator.port = static_cast<int>(p);
      } else if (flag == "--port-file") {
        out.port_file = s;
      } else if (flag == "--tls-cert") {
        if (s.empty()) return usage("--tls-cert wants a PEM file");
        out.emulator.tls_cert_file = s;
      } else if (flag == "--tls-key") {
        if (s.empty()) return usage("--tls-key wants a PEM file");
        out.emulator.tls_key_file = s;
      } else if (flag == "--script") {
        auto script = LoadScriptFile(s);
        if (!script) return script.error();
        out.emulator.script = std::move(*script);
      } else if (flag == "--access-key") {
        size_t colon = s.find(':');
        if (colon == std::string::npos || colon == 0 || colon + 1 == s.size()) {
          return usage("--access-key wants ID:SECRET");
        }
        out.emulator.access_keys.emplace_back(s.substr(0, colon), s.substr(colon + 1));
      } else if (flag == "--session-token") {
        out.emulator.session_token = s;
      } else if (flag == "--expired-token") {
        out.emulator.expired_tokens.push_back(s);
      } else if (flag == "--bearer-token") {
        out.emulator.bearer_token = s;
      } else if (flag == "--region") {
        out.emulator.region = s;
      } else if (flag == "--allow-model") {
        out.emulator.allowed_models.push_back(s);
      } else if (flag == "--request-log") {
        out.emulator.request_log_path = s;
      } else if (flag == "--sso-access-token") {
        out.emulator.sso_access_tokens.push_back(s);
      } else if (flag == "--sso-refresh-token") {
        auto parts = Split(s, ':');
        if (parts.size() != 3 || parts[0].empty() || parts[1].empty() || parts[2].empty()) {
          return usage("--sso-refresh-token wants TOKEN:CLIENT_ID:CLIENT_SECRET");
        }
        out.emulator.sso_refresh_tokens.push_back({parts[0], parts[1], parts[2]});
      } else if (flag == "--sso-access-token-seconds") {
        char* end = nullptr;
        long n = std::strtol(s.c_str(), &end, 10);
        if (!end || *end || n <= 0)
          return usage("--sso-access-token-seconds wants a positive number");
        out.emulator.sso_access_token_seconds = static_cast<int>(n);
      } else if (flag == "--sso-credentials-seconds") {
        char* end = nullptr;
        long n = std::strtol(s.c_str(), &end, 10);
        if (!end || *end || n <= 0)
          return usage("--sso-credentials-seconds wants a positive number");
        out.emulator.sso_role_credentials_seconds = static_cast<int>(n);
      } else if (flag == "--issued-credentials-seconds") {
        char* end = nullptr;
        long n = std::strtol(s.c_str(), &end, 10);
        if (s.empty() || *end || n <= 0 || n > 7 * 24 * 3600) {
          return usage("--issued-credentials-seconds wants a positive number of seconds");
        }
        out.emulator.issued_credentials_seconds = static_cast<int>(n);
      } else if (flag == "--issued-credentials-seed") {
        if (s.empty()) return usage("--issued-credentials-seed wants a non-empty value");
        out.emulator.issued_credentials_seed = s;
      } else if (flag == "--web-identity-token") {
        out.emulator.web_identity_token = s;
      } else if (flag == "--sts-deny-role") {
        out.emulator.sts_denied_roles.push_back(s);
      } else if (flag == "--container-token") {
        out.emulator.container_token = s;
      } else if (flag == "--container-path") {
        if (s.empty() || s[0] != '/' || s == "/" || StartsWith(s, "/latest/") ||
            StartsWith(s, "/model/")) {
          return usage(
              "--container-path wants a path such as /container-credentials (not /, /latest/..., "
              "/model/...)");
        }
        out.emulator.container_path = s;
      } else if (flag == "--deny-action") {
        if (!StartsWith(s, "bedrock:") || s.size() <= 8) {
          return usage("--deny-action wants an IAM action such as bedrock:InvokeModel");
        }
        out.emulator.denied_actions.push_back(s);
      } else if (flag == "--imds-role") {
        if (s.empty() || s.find('/') != std::string::npos)
          return usage("--imds-role wants a role name");
        out.emulator.imds_role_name = s;
      }
    } else {
      return usage("unknown argument " + flag);
    }
  }
  if (out.emulator.tls_cert_file.empty() != out.emulator.tls_key_file.empty()) {
    return usage(out.emulator.tls_cert_file.empty() ? "--tls-key needs --tls-cert"
                                                    : "--tls-cert needs --tls-key");
  }
  return out;
}

namespace {

bool WritePortFile(const std::string& path, int port) {
  std::string tmp = path + ".tmp." + std::to_string(getpid());
  {
    std::ofstream f(tmp, std::ios::trunc);
    if (!f) return false;
    f << port << "\n";
    if (!f.flush()) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int RunEmulatorMain(int argc, char** argv) {
  std::vector<std::string> args(argv + (argc > 0 ? 1 : 0), argv + argc);
  auto parsed = ParseEmulatorArgs(args);
  if (!parsed) {
    std::fprintf(stderr, "brock-emulator: %s\n", parsed.error().ToString().c_str());
    return errc::Is(parsed.error(), errc::kEmulatorUsage) ? 2 : 1;
  }
  if (parsed->help) {
    std::fputs(EmulatorUsage().c_str(), stdout);
    return 0;
  }
  // Block the stop signals in every thread; the main thread waits for them below.
  sigset_t stop_signals, old_mask;
  sigemptyset(&stop_signals);
  sigaddset(&stop_signals, SIGINT);
  sigaddset(&stop_signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &stop_signals, &old_mask);

  auto emulator = Emulator::Start(parsed->emulator);
  if (!emulator) {
    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    std::fprintf(stderr, "brock-emulator: %s\n", emulator.error().ToString().c_str());
    return 1;
  }
  if (!parsed->port_file.empty() && !WritePortFile(parsed->port_file, (*emulator)->port())) {
    std::fprintf(stderr, "brock-emulator: cannot write --port-file %s\n",
                 parsed->port_file.c_str());
    (*emulator)->Stop();
    pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
    return 1;
  }
  if (!parsed->quiet) {
    std::fprintf(stderr, "brock-emulator listening on %s\n", (*emulator)->endpoint().c_str());
    std::fflush(stderr);
  }
  int sig = 0;
  sigwait(&stop_signals, &sig);
  if (!parsed->quiet) std::fprintf(stderr, "brock-emulator: stopping (signal %d)\n", sig);
  (*emulator)->Stop();
  pthread_sigmask(SIG_SETMASK, &old_mask, nullptr);
  return 0;
}

}  // namespace brock
