// Sandboxed processes on bubblewrap (`bwrap`, Debian package bubblewrap): a ProcessRunner that
// runs every process inside a fresh mount, PID and (unless the network is shared) network
// namespace, with the root file system read-only, only the allowed directories writable, denied
// paths hidden, and the process killed with brock. Used for the Bash tool when `sandbox.enabled`
// is set (docs/security.md, "Sandboxed Bash").
#pragma once

#include <map>
#include <string>
#include <vector>

#include "base/process.h"

namespace brock {

struct SandboxPolicy {
  std::string bwrap = "bwrap";             // the bubblewrap program
  std::vector<std::string> writable;       // absolute directories bound read-write
  std::vector<std::string> deny_write;     // absolute paths bound read-only again (inside writable)
  std::vector<std::string> deny_read;      // absolute paths hidden: an empty directory or file
  bool share_network = false;              // false: a private network namespace (no network at all)
  std::map<std::string, std::string> env;  // added to every sandboxed process (proxy variables)
};

// The bwrap command line that runs `argv` in `cwd` under `policy`. Writable directories and
// denied paths that do not exist are skipped (a denied directory becomes an empty read-only
// tmpfs, a denied file /dev/null).
std::vector<std::string> BubblewrapArgv(const SandboxPolicy& policy, const std::string& cwd,
                                        const std::vector<std::string>& argv);

// Whether bwrap can create its namespaces here: runs `bwrap ... true` once. On failure `why`
// says what happened ("bwrap is not installed", "bwrap: No permissions to create new
// namespace..."), for the one line brock prints before falling back to asking.
bool BubblewrapUsable(ProcessRunner& runner, const std::string& bwrap, std::string* why);

// Runs processes through `inner` inside the sandbox. A spec with shell_command runs /bin/sh -c.
class SandboxedProcessRunner : public ProcessRunner {
 public:
  SandboxedProcessRunner(ProcessRunner& inner, SandboxPolicy policy)
      : inner_(inner), policy_(std::move(policy)) {}
  Result<ProcessResult> Run(const ProcessSpec& spec,
                            const std::atomic<bool>* cancel = nullptr) override;
  const SandboxPolicy& policy() const { return policy_; }

 private:
  ProcessRunner& inner_;
  SandboxPolicy policy_;
};

}  // namespace brock
