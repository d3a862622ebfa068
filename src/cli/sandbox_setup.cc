#include "cli/sandbox_setup.h"

#include <stdlib.h>

#include <filesystem>

#include "agent/permission_rule.h"

namespace brock {
namespace {

std::string Resolve(const Env& env, const std::string& path, const std::string& cwd) {
  return NormalizePath(path, cwd, env.HomeDir());
}

}  // namespace

SandboxSession::~SandboxSession() {
  if (!tmp_dir.empty()) {
    std::error_code ec;
    std::filesystem::remove_all(tmp_dir, ec);
  }
}

Result<std::unique_ptr<SandboxSession>> SetUpSandbox(const Env& env, const SandboxSettings& s,
                                                     const std::string& cwd,
                                                     const std::vector<std::string>& working_dirs,
                                                     std::string* warning) {
  if (!s.enabled) return std::unique_ptr<SandboxSession>();
  std::string why;
  if (!BubblewrapUsable(RealProcessRunner(), "bwrap", &why)) {
    if (s.fail_if_unavailable) {
      return MakeError("sandbox.unavailable",
                       "sandbox.enabled is set but bubblewrap cannot run here: " + why,
                       "install it (apt-get install bubblewrap) and allow unprivileged user "
                       "namespaces, or unset sandbox.failIfUnavailable");
    }
    *warning = "sandbox.enabled is set but bubblewrap cannot run here (" + why +
               "); Bash commands run unsandboxed and ask for approval as usual. Install it with "
               "apt-get install bubblewrap.";
    return std::unique_ptr<SandboxSession>();
  }
  auto session = std::make_unique<SandboxSession>();
  SandboxPolicy policy;
  for (const std::string& d : working_dirs) policy.writable.push_back(d);
  // A temporary directory of its own (TMPDIR), the only writable place outside the working
  // directories unless allowWrite names more.
  std::string tmp_base = env.GetNonEmpty("TMPDIR").value_or("/tmp");
  std::string tmpl = tmp_base + "/brock-sandbox-XXXXXX";
  if (char* made = ::mkdtemp(tmpl.data())) {
    session->tmp_dir = made;
    policy.writable.push_back(session->tmp_dir);
    policy.env["TMPDIR"] = session->tmp_dir;
  }
  for (const std::string& d : s.allow_write) policy.writable.push_back(Resolve(env, d, cwd));
  for (const std::string& d : s.deny_write) policy.deny_write.push_back(Resolve(env, d, cwd));
  for (const std::string& d : s.deny_read) policy.deny_read.push_back(Resolve(env, d, cwd));
  // What runs code later stays read-only even inside a writable directory: git hooks and
  // config, brock's and Claude Code's settings.
  for (const std::string& d : working_dirs) {
    for (const char* p : {".git/hooks", ".git/config", ".claude/settings.json",
                          ".claude/settings.local.json", ".mcp.json"}) {
      policy.deny_write.push_back(d + "/" + p);
    }
  }
  if (!s.allowed_domains.empty()) {
    session->proxy = std::make_unique<FilteringProxy>(s.allowed_domains);
    if (Status st = session->proxy->Start(); !st.ok()) return st.error();
    policy.share_network = true;
    for (const char* name :
         {"HTTP_PROXY", "HTTPS_PROXY", "http_proxy", "https_proxy", "ALL_PROXY", "all_proxy"}) {
      policy.env[name] = session->proxy->url();
    }
    policy.env["NO_PROXY"] = "";
    policy.env["no_proxy"] = "";
  }
  session->runner = std::make_unique<SandboxedProcessRunner>(RealProcessRunner(), policy);
  session->bash.runner = session->runner.get();
  session->bash.allow_unsandboxed = s.allow_unsandboxed;
  session->bash.excluded_commands = s.excluded_commands;
  return session;
}

}  // namespace brock
