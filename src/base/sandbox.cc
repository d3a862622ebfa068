#include "base/sandbox.h"

#include <sys/stat.h>

namespace brock {
namespace {

// 0: missing, 1: directory, 2: anything else.
int Kind(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return 0;
  return S_ISDIR(st.st_mode) ? 1 : 2;
}

}  // namespace

std::vector<std::string> BubblewrapArgv(const SandboxPolicy& policy, const std::string& cwd,
                                        const std::vector<std::string>& argv) {
  std::vector<std::string> a = {policy.bwrap,
                                "--die-with-parent",
                                "--unshare-pid",
                                "--unshare-ipc",
                                "--unshare-uts",
                                "--unshare-cgroup-try",
                                "--ro-bind",
                                "/",
                                "/",
                                "--dev",
                                "/dev",
                                "--proc",
                                "/proc"};
  if (!policy.share_network) a.push_back("--unshare-net");
  for (const std::string& d : policy.writable) {
    if (Kind(d) != 1) continue;
    a.insert(a.end(), {"--bind", d, d});
  }
  for (const std::string& p : policy.deny_write) {
    if (Kind(p) == 0) continue;
    a.insert(a.end(), {"--ro-bind", p, p});
  }
  for (const std::string& p : policy.deny_read) {
    int k = Kind(p);
    if (k == 1) {
      a.insert(a.end(), {"--tmpfs", p, "--remount-ro", p});
    } else if (k == 2) {
      a.insert(a.end(), {"--ro-bind", "/dev/null", p});
    }
  }
  if (!cwd.empty()) a.insert(a.end(), {"--chdir", cwd});
  a.push_back("--");
  a.insert(a.end(), argv.begin(), argv.end());
  return a;
}

bool BubblewrapUsable(ProcessRunner& runner, const std::string& bwrap, std::string* why) {
  ProcessSpec spec;
  SandboxPolicy probe;
  probe.bwrap = bwrap;
  spec.argv = BubblewrapArgv(probe, "/", {"true"});
  spec.timeout = std::chrono::seconds(10);
  Result<ProcessResult> r = runner.Run(spec);
  if (!r.ok()) {
    *why = bwrap + " is not installed (" + r.error().message + ")";
    return false;
  }
  if (r->exit_code != 0) {
    std::string err = r->stderr_data;
    while (!err.empty() && (err.back() == '\n' || err.back() == '\r')) err.pop_back();
    *why = err.empty() ? bwrap + " failed with exit code " + std::to_string(r->exit_code) : err;
    return false;
  }
  return true;
}

Result<ProcessResult> SandboxedProcessRunner::Run(const ProcessSpec& spec,
                                                  const std::atomic<bool>* cancel) {
  ProcessSpec s = spec;
  std::vector<std::string> argv = spec.argv;
  if (!spec.shell_command.empty()) argv = {"/bin/sh", "-c", spec.shell_command};
  s.shell_command.clear();
  s.argv = BubblewrapArgv(policy_, spec.cwd, argv);
  for (const auto& [name, value] : policy_.env) s.env[name] = value;
  return inner_.Run(s, cancel);
}

}  // namespace brock
