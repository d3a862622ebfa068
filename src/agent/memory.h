// CLAUDE.md memory, loaded the way Claude Code loads it, so a project's instructions reach the
// model unchanged when the user switches to brock. The rules are in docs/memory.md.
//
// Files, in order (later files are closer to the work and so come later in the prompt):
//   1. managed:  /etc/claude-code/CLAUDE.md (organisation policy)
//   2. user:     ~/.claude/CLAUDE.md
//   3. for every directory from the repository root (the nearest ancestor of the working
//      directory holding `.git`; the working directory itself when there is none) down to the
//      working directory: `CLAUDE.md`, `.claude/CLAUDE.md` (project) and `CLAUDE.local.md`
//      (local).
// Each file may import others with `@path` (relative to the importing file, `~/...` or
// absolute); imports are followed up to 5 hops deep, each file is included once (so cycles end),
// `@` inside code spans and fenced code blocks is ignored, and a missing import is skipped with a
// note. An imported file follows the file that imports it. For an untrusted project, imports
// outside the project are refused (MemoryOptions::confine_project_to).
#pragma once

#include <string>
#include <vector>

#include "base/env.h"

namespace brock {

struct MemoryFile {
  std::string path;           // absolute
  std::string content;        // as read; `@imports` are left in the text
  std::string type;           // "managed", "user", "project" or "local"
  std::string imported_from;  // the importing file's path; empty for files found by location
  int depth = 0;              // 0 for files found by location, n for an n-hop import
};

struct MemoryOptions {
  std::string cwd;   // working directory; empty: env.CurrentDir()
  std::string home;  // empty: env.HomeDir()
  std::string managed_path = "/etc/claude-code/CLAUDE.md";
  int max_import_depth = 5;
  // Workspace trust: when not empty (an untrusted project's directory), project and local files
  // may not bring in files outside it: an import whose target (symbolic links resolved) is not at
  // or below this directory is not followed, nor is a CLAUDE.md that is a link to such a file.
  // Listed in MemoryLoad::refused. User and managed files import freely.
  std::string confine_project_to;
  size_t max_file_bytes = 1 << 20;  // larger files are skipped with a note
};

struct MemoryLoad {
  std::vector<MemoryFile> files;
  // One line per thing the user may want to know: a missing import, a file too large or
  // unreadable, an import chain cut at the depth limit.
  std::vector<std::string> notes;
  // What confine_project_to kept out: "<importing file> imports <target>" (or "<file> links to
  // <target>"), one per refused file. Not repeated in `notes`: the session's trust notice says it.
  std::vector<std::string> refused;
};

// Loads every memory file that exists. Never fails: problems become notes.
MemoryLoad LoadMemory(const Env& env, const MemoryOptions& options);

// The nearest directory at or above `dir` that holds `.git` (a directory, or a file in a
// worktree), or "" when there is none.
std::string FindRepositoryRoot(const Env& env, const std::string& dir);

// The `@path` imports written in `content`, in order, as written (without the `@`; `\ ` becomes a
// space). Imports inside inline code spans and fenced code blocks are not returned; an `@` must
// start the line or follow whitespace (so e-mail addresses are not imports).
std::vector<std::string> FindImports(const std::string& content);

// The block the system prompt carries: an instruction that these files override defaults, then
// each file's path, what kind it is, and its content. Empty when `files` is empty or all blank.
std::string BuildMemoryPrompt(const std::vector<MemoryFile>& files);

}  // namespace brock
