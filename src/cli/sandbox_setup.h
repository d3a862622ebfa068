// Turns the `sandbox` settings into the sandbox Bash commands run in (agent/bash_sandbox.h over
// base/sandbox.h), with the filtering proxy (net/filtering_proxy.h) when domains are allowed.
// When bubblewrap is missing or cannot create namespaces, it says so once (a session warning)
// and Bash falls back to asking, unless `failIfUnavailable` makes that an error.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "agent/bash_sandbox.h"
#include "base/env.h"
#include "base/error.h"
#include "base/sandbox.h"
#include "net/filtering_proxy.h"
#include "settings/sandbox_settings.h"

namespace brock {

struct SandboxSession {
  ~SandboxSession();
  std::string tmp_dir;  // the sandbox's TMPDIR, removed with the session
  std::unique_ptr<FilteringProxy> proxy;
  std::unique_ptr<SandboxedProcessRunner> runner;
  BashSandbox bash;  // what ToolContext::sandbox points at
};

// The sandbox for a session, or null when sandbox.enabled is off or bwrap cannot run (then
// `warning` says why and what happens instead). `working_dirs` become writable; `home` expands
// `~/` in the filesystem lists (relative entries resolve against `cwd`). Error
// "sandbox.unavailable" when failIfUnavailable is set and bwrap cannot run.
Result<std::unique_ptr<SandboxSession>> SetUpSandbox(const Env& env, const SandboxSettings& s,
                                                     const std::string& cwd,
                                                     const std::vector<std::string>& working_dirs,
                                                     std::string* warning);

}  // namespace brock
