// Tool: one capability the model may call (Read, Write, Edit, Bash, Grep...). Each tool lives in
// its own file (agent/tool_<name>.h/.cc) and keeps Claude Code's name and input schema, so a model
// trained on Claude Code is at home.
//
// The agent loop asks the permission engine (agent/permissions.h) before Run; tools themselves do
// not prompt. Tools never print: they return a ToolResult that goes back to the model.
#pragma once

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "base/env.h"
#include "base/error.h"
#include "base/json.h"
#include "base/process.h"

namespace brock {

struct BashSandbox;

// What the agent remembers about files the model has read, so edits of a file that changed on
// disk since the model last read it are refused.
struct ReadRecord {
  Clock::time_point modified;  // mtime when last read or written by a tool
  int64_t size = 0;
};

// Everything a tool may touch. The agent owns it and passes it to every call.
struct ToolContext {
  Env& env;
  ProcessRunner& processes;
  std::string cwd;                            // working directory; Bash's `cd` persists here
  std::vector<std::string> extra_dirs;        // --add-dir / additionalDirectories
  std::map<std::string, ReadRecord>* reads;   // absolute path -> last read/write by a tool
  const std::atomic<bool>* cancel = nullptr;  // interrupt: stop promptly
  Json* todos = nullptr;                      // TodoWrite's list (owned by the session)
  // Whether a search tool (Grep, Glob, LS) may show `path`, a file or directory it found under
  // the search root `root`: the permission engine's Read rules and working directories
  // (PermissionEngine::ShowInResults). Unset: everything is shown.
  std::function<bool(const std::string& path, const std::string& root)> may_show = nullptr;
  // The sandbox Bash commands run in (agent/bash_sandbox.h); null when sandbox.enabled is off
  // or bubblewrap cannot run.
  const BashSandbox* sandbox = nullptr;
};

struct ToolResult {
  // Content blocks for the tool_result, in Anthropic Messages form: usually one
  // {"type":"text","text":...}; Read of an image returns an {"type":"image",...} block.
  std::vector<Json> content;
  bool is_error = false;

  // A plain-text result.
  static ToolResult Text(std::string text, bool is_error = false);
  // The text of all text blocks joined (for tests and print formats).
  std::string AllText() const;
};

// What a permission rule can match for one call: the subject of `Bash(npm run test:*)` is the
// command, of `Read(./secrets/**)` / `Edit(/src/**)` the absolute path.
struct PermissionSubject {
  enum class Kind { kNone, kCommand, kPath } kind = Kind::kNone;
  std::string value;
  // Bash: the command will run inside the sandbox (agent/bash_sandbox.h).
  bool sandboxed = false;
};

class Tool {
 public:
  virtual ~Tool() = default;
  // Claude Code's tool name: "Read", "Write", "Edit", "MultiEdit", "Bash", "Glob", "Grep", "LS",
  // "TodoWrite".
  virtual std::string name() const = 0;
  // The description the model sees.
  virtual std::string description() const = 0;
  // JSON Schema of the input, as in Claude Code.
  virtual Json input_schema() const = 0;
  // True when the tool never changes anything (may run in parallel, allowed in plan mode).
  virtual bool read_only() const = 0;
  // True for tools that modify files (Write, Edit, MultiEdit): `Edit(...)` rules and the
  // acceptEdits mode apply to them.
  virtual bool edits_files() const { return false; }
  // What permission rules match for this input (resolving relative paths against ctx.cwd).
  virtual PermissionSubject Subject(const Json& input, const ToolContext& ctx) const = 0;
  // Runs the tool. Bad input and failures come back as ToolResult with is_error = true (the
  // model sees them); a returned Error is reserved for failures the agent must stop on.
  virtual Result<ToolResult> Run(const Json& input, ToolContext& ctx) = 0;
};

// All built-in tools, in the order they are offered to the model.
std::vector<std::unique_ptr<Tool>> MakeBuiltinTools();

}  // namespace brock
