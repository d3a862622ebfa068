// WalkFiles: a fast recursive directory walk with ripgrep's default filtering, shared by the Grep
// and Glob tools.
//
// Rules, in ripgrep's order of precedence for each entry below the root:
//   1. `skip_dir_names` (e.g. ".git") are never entered.
//   2. `globs` overrides (ripgrep `--glob`, gitignore syntax, relative to the root): a matching
//      glob includes the entry whatever the ignore files say, a matching `!glob` excludes it;
//      when any non-'!' glob exists, files matching none of them are excluded (directories are
//      still entered).
//   3. ignore files, deepest directory first within each kind, kinds in the order .rgignore /
//      .ignore, then .gitignore, then .git/info/exclude. .gitignore and info/exclude only count
//      inside a git repository (a directory with a `.git` at or above it). Ignore files in the
//      parents of the root are read too (up to the repository root).
//   4. `type_globs` (files only, matched against the base name): files matching none are skipped.
//   5. hidden entries (name starting with '.') are skipped unless `hidden` or whitelisted above.
// Symbolic links are not followed. A root that is a file is returned as is, unfiltered.
#pragma once

#include <atomic>
#include <cstdint>
#include <string>
#include <vector>

#include "base/error.h"

namespace brock {

struct WalkOptions {
  bool hidden = false;                      // also walk hidden files and directories (rg --hidden)
  bool git_ignore = true;                   // honor .gitignore and .git/info/exclude
  bool dot_ignore = true;                   // honor .ignore and .rgignore
  bool parents = true;                      // read ignore files of the root's parent directories
  bool require_git = true;                  // .gitignore counts only inside a git repository
  std::vector<std::string> skip_dir_names;  // directory names never entered
  std::vector<std::string> globs;           // rg --glob overrides ("*.rs", "!vendor/")
  bool globs_case_insensitive = false;      // rg --iglob
  std::vector<std::string> type_globs;      // base-name globs; non-empty: files must match one
  std::string start_subdir;  // walk only root/start_subdir (paths stay relative to root)
  const std::atomic<bool>* cancel = nullptr;  // stop early when it becomes true
};

struct WalkedFile {
  std::string path;  // root joined with rel ("/abs/root/a/b.c"), or the root when it is a file
  std::string rel;   // relative to the root ("a/b.c"); the base name when the root is a file
};

// The files under `root` (an absolute path) that pass the rules above, in depth-first order with
// each directory's entries sorted by name. Fails with "path.not_found" when `root` does not
// exist, "io.not_regular" when it is a FIFO, device or socket (reading one could block or never
// end), "glob.invalid" for a bad glob in `globs`/`type_globs`.
Result<std::vector<WalkedFile>> WalkFiles(const std::string& root, const WalkOptions& options);

// How the Grep and Glob tools show an absolute path (as Claude Code does): relative to `cwd` when
// inside it ("src/a.c"), otherwise absolute.
std::string DisplayPath(const std::string& abs, const std::string& cwd);

// Modification time of `path` in nanoseconds since the epoch (0 when it cannot be read).
int64_t ModifiedNanos(const std::string& path);

}  // namespace brock
