// The trust store: which directories the user trusts, or has declined to trust, kept in brock's
// state (docs/security.md):
//
//   $BROCK_HOME/trusted-directories.json   (BROCK_HOME defaults to ~/.brock; read from the shell
//                                            environment, never from a settings file)
//   {"version": 1,
//    "directories": {"/home/me/src/app": {"trusted": true, "decided_at": "2026-01-01T00:00:00Z"}}}
//
// A decision about a directory covers its subdirectories; the nearest decided directory at or
// above a path wins, so declining a subdirectory of a trusted tree is possible. The file is
// rewritten atomically (a temporary file renamed over it) with mode 0600.
//
// The home directory, "/" and every ancestor of the home directory cannot be remembered: trusting
// them would trust every project below them. An interactive "yes" there holds for that session
// only (as in Claude Code for the home directory).
#pragma once

#include <map>
#include <string>

#include "base/env.h"
#include "base/error.h"
#include "settings/settings_locate.h"

namespace brock {

enum class TrustState { kUnknown, kTrusted, kDeclined };

struct TrustDecision {
  TrustState state = TrustState::kUnknown;
  std::string directory;  // the stored directory that decided; "" when kUnknown
};

// $BROCK_HOME/trusted-directories.json, else ~/.brock/trusted-directories.json.
std::string TrustStorePath(const Env& env);

// The directory whose trust governs the project files seen from `cwd`: the git root when there
// is one, else the project root (the folder holding .claude/), else `cwd`.
std::string TrustDirectoryFor(const std::string& cwd, const ProjectLocation& project);

// False for the home directory, "/" and the home directory's ancestors.
bool CanRememberTrust(const Env& env, const std::string& dir);

// The decision covering `dir` (absolute; symbolic links are resolved). Errors:
//   trust.store_corrupt  the store is not the JSON object described above (names the file)
//   trust.store_unreadable
Result<TrustDecision> LookUpTrust(const Env& env, const std::string& dir);

// Records `trusted` for `dir` (symbolic links resolved). Errors: trust.not_rememberable for a
// directory CanRememberTrust refuses; trust.store_corrupt; the write's own error.
Status RecordTrust(Env& env, const std::string& dir, bool trusted);

// Removes the decision stored for exactly `dir`; the next interactive run there asks again.
// Returns whether there was one.
Result<bool> ForgetTrust(Env& env, const std::string& dir);

// Every stored decision: directory -> trusted.
Result<std::map<std::string, bool>> ListTrust(const Env& env);

}  // namespace brock
