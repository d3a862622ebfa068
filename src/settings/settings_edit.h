// Editing a settings file the way `brock setup` and `brock models --pin` do: merge a patch into
// what is there, keeping every other key, back the old file up next to it, and write atomically.
//
//   * The patch is merged key by key: objects merge recursively (so {"env":{"AWS_REGION":"x"}}
//     changes only env.AWS_REGION), a JSON null removes the key, anything else replaces it.
//   * A file that exists but is not a JSON object is never overwritten: the edit fails with
//     settings.syntax (path:line:col) or settings.invalid, and the file is left as it was.
//   * When the content changes and the file existed, the old bytes are first copied to
//     "<file>.backup-<UTC yyyymmddThhmmssZ>" (mode 0600; "-2", "-3"... when that name is taken).
//   * The new file is written to a temporary file beside it and renamed over it (Env's
//     WriteFileAtomic), with `mode`; missing parent directories are created.
// Nothing is written when the merged content equals what is there.
#pragma once

#include <string>
#include <vector>

#include "base/env.h"
#include "base/error.h"
#include "base/json.h"

namespace brock {

struct SettingsFileEdit {
  std::string path;
  std::string backup_path;  // "" when no backup was needed (new file, or nothing changed)
  bool created = false;     // the file did not exist
  bool changed = false;     // the content changed
};

// Merges `patch` (a JSON object) into the file at `path` as described above.
Result<SettingsFileEdit> EditSettingsFile(Env& env, const std::string& path, const Json& patch,
                                          uint32_t mode = 0600);

// Applies the patch rules above to `target` in memory.
void ApplySettingsPatch(Json& target, const Json& patch);

// "20261205T185012Z" for `time`.
std::string BackupTimestamp(Clock::time_point time);

}  // namespace brock
