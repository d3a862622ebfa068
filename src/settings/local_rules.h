// Saving an "always" answer the way Claude Code does: the allow rule goes into the
// `permissions.allow` list of `.claude/settings.local.json` in the project directory (the git
// root when there is one, else the working directory), so later sessions in that repository
// allow it too. The rest of the file is kept as it was.
#pragma once

#include <string>

#include "base/env.h"
#include "base/error.h"

namespace brock {

// Adds `rule` to `<dir>/.claude/settings.local.json` (created when missing; a rule already there
// is not added twice). Errors: "settings.syntax" / "settings.invalid" when the existing file is
// not a JSON object with an array `permissions.allow` (the file is left untouched), or the write
// error.
Status AddLocalAllowRule(Env& env, const std::string& dir, const std::string& rule);

// The directory "always" rules are saved under for a session started in `cwd`: the git root
// above it (found by a `.git` entry), else `cwd`. The home directory is never used as a
// repository root (then `cwd` is).
std::string LocalRulesDir(const Env& env, const std::string& cwd);

}  // namespace brock
