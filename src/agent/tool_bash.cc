#include "agent/tool_bash.h"

#include <nlohmann/json.hpp>

#include "agent/bash_sandbox.h"
#include "agent/child_env.h"
#include "agent/tool_input.h"
#include "base/strings.h"

namespace brock {

std::string TruncateMiddle(std::string_view text, size_t max_chars) {
  if (text.size() <= max_chars) return std::string(text);
  size_t head = max_chars / 2;
  size_t tail = max_chars - head;
  size_t dropped = text.size() - head - tail;
  std::string out(text.substr(0, head));
  out += "\n\n... [" + std::to_string(dropped) + " characters truncated] ...\n\n";
  out += text.substr(text.size() - tail);
  return out;
}

std::string TakeCwdTrailer(std::string* stdout_data) {
  const std::string marker = "\n" + std::string(kBashCwdMarker);
  size_t pos = stdout_data->rfind(marker);
  if (pos == std::string::npos) return "";
  size_t start = pos + marker.size();
  size_t nl = stdout_data->find('\n', start);
  // The trailer is the last thing the wrapper prints: "\n<marker><dir>\n".
  if (nl == std::string::npos || nl + 1 != stdout_data->size()) return "";
  std::string dir = stdout_data->substr(start, nl - start);
  stdout_data->erase(pos);
  return dir;
}

namespace {

// Runs the command from $1 (so its text is never pasted into ours) and prints the final working
// directory on exit, whether the command ends normally or calls `exit`.
constexpr std::string_view kWrapper =
    "trap 'printf \"\\n__BROCK_CWD__%s\\n\" \"$PWD\"' EXIT\n"
    "__brock_command=$1\n"
    "shift\n"
    "eval \"$__brock_command\"\n";

int64_t EnvInt(const Env& env, std::string_view name, int64_t fallback) {
  auto v = env.GetNonEmpty(name);
  if (!v) return fallback;
  try {
    size_t used = 0;
    long long n = std::stoll(*v, &used);
    if (used == v->size() && n > 0) return n;
  } catch (...) {
  }
  return fallback;
}

std::string FormatDuration(int64_t ms) {
  if (ms % 1000 == 0) return std::to_string(ms / 1000) + "s";
  return std::to_string(ms) + "ms";
}

class BashTool : public Tool {
 public:
  std::string name() const override { return "Bash"; }

  std::string description() const override {
    return "Executes a bash command and returns its output (stdout, then stderr).\n\n"
           "Usage:\n"
           "- The working directory persists between calls: after `cd dir`, later commands run "
           "in dir. Prefer absolute paths over `cd` where you can.\n"
           "- Quote paths that contain spaces with double quotes.\n"
           "- timeout is in milliseconds (default 120000, at most 600000); a command that runs "
           "longer is killed.\n"
           "- stdin is empty: do not run interactive commands (editors, pagers, prompts); pass "
           "flags like --yes or -y, and use `git --no-pager`.\n"
           "- Output longer than 30000 characters is cut in the middle.\n"
           "- Use the Read, Grep, Glob and LS tools rather than cat, grep, find and ls to look at "
           "files.\n"
           "- Chain dependent commands with && ; use ; only when later commands should run even "
           "if earlier ones fail.\n"
           "- Give a short description (5-10 words) of what the command does.";
  }

  Json input_schema() const override {
    return Json{
        {"type", "object"},
        {"properties",
         {{"command", {{"type", "string"}, {"description", "The command to execute"}}},
          {"timeout",
           {{"type", "number"}, {"description", "Optional timeout in milliseconds (max 600000)"}}},
          {"description",
           {{"type", "string"},
            {"description",
             "Clear, concise description of what this command does in 5-10 words, in active "
             "voice."}}},
          {"dangerouslyDisableSandbox",
           {{"type", "boolean"},
            {"description",
             "Set this to true to dangerously override sandbox mode and run commands without "
             "sandboxing."}}}}},
        {"required", {"command"}},
        {"additionalProperties", false},
        {"$schema", "http://json-schema.org/draft-07/schema#"}};
  }

  bool read_only() const override { return false; }

  PermissionSubject Subject(const Json& input, const ToolContext& ctx) const override {
    std::string command, error;
    bool unsandboxed = false;
    GetStringField(input, "command", false, &command, &error);
    GetBoolField(input, "dangerouslyDisableSandbox", false, &unsandboxed, &error);
    PermissionSubject subject{PermissionSubject::Kind::kCommand, command};
    subject.sandboxed = RunsSandboxed(ctx.sandbox, command, unsandboxed);
    return subject;
  }

  Result<ToolResult> Run(const Json& input, ToolContext& ctx) override {
    std::string command, description, error;
    int64_t timeout_ms = 0;
    bool background = false, unsandboxed = false;
    if (!GetBoolField(input, "dangerouslyDisableSandbox", false, &unsandboxed, &error) ||
        !GetStringField(input, "command", true, &command, &error) ||
        !GetStringField(input, "description", false, &description, &error) ||
        !GetIntField(input, "timeout", false, &timeout_ms, &error) ||
        !GetBoolField(input, "run_in_background", false, &background, &error)) {
      return ToolResult::Text(error, true);
    }
    if (Trim(command).empty()) return ToolResult::Text("command must not be empty.", true);
    if (background) {
      return ToolResult::Text(
          "run_in_background is not supported here. Run the command in the "
          "foreground (with a timeout), or start it with `nohup ... &` and "
          "redirect its output to a file you can Read later.",
          true);
    }
    const int64_t max_timeout = EnvInt(ctx.env, "BASH_MAX_TIMEOUT_MS", kBashMaxTimeoutMs);
    const int64_t default_timeout =
        std::min(max_timeout, EnvInt(ctx.env, "BASH_DEFAULT_TIMEOUT_MS", kBashDefaultTimeoutMs));
    if (timeout_ms <= 0) timeout_ms = default_timeout;
    timeout_ms = std::min(timeout_ms, max_timeout);
    const size_t max_output = static_cast<size_t>(
        EnvInt(ctx.env, "BASH_MAX_OUTPUT_LENGTH", static_cast<int64_t>(kBashMaxOutputChars)));

    std::string note;
    std::string cwd = ctx.cwd.empty() ? ctx.env.CurrentDir() : ctx.cwd;
    if (FileInfo d = ctx.env.Stat(cwd); !d.exists || !d.is_directory) {
      std::string fallback = ctx.env.CurrentDir();
      note =
          "The working directory " + cwd + " no longer exists; ran in " + fallback + " instead.\n";
      cwd = fallback;
    }

    ProcessSpec spec;
    std::string shell = ctx.env.Stat("/bin/bash").exists ? "/bin/bash" : "/bin/sh";
    spec.argv = {shell, "-c", std::string(kWrapper), "bash", command};
    spec.cwd = cwd;
    spec.timeout = std::chrono::milliseconds(timeout_ms);
    spec.env["CLAUDECODE"] = "1";     // tools that adapt to running under an agent
    spec.env["GIT_EDITOR"] = "true";  // never wait in an editor
    spec.env["PAGER"] = "cat";        // nor in a pager
    // The credentials brock uses stay out of the command's environment (agent/child_env.h).
    spec.unset_env = ToolEnvironmentRemovals(ctx.env);

    // Inside the sandbox when the session has one (and the command is not excluded from it).
    ProcessRunner& runner =
        RunsSandboxed(ctx.sandbox, command, unsandboxed) ? *ctx.sandbox->runner : ctx.processes;
    Result<ProcessResult> run = runner.Run(spec, ctx.cancel);
    if (!run.ok()) {
      return ToolResult::Text(note + "Could not start " + shell + ": " + run.error().message, true);
    }
    ProcessResult& pr = *run;
    std::string new_cwd = TakeCwdTrailer(&pr.stdout_data);
    if (!new_cwd.empty()) {
      if (FileInfo d = ctx.env.Stat(new_cwd); d.exists && d.is_directory) ctx.cwd = new_cwd;
    } else {
      ctx.cwd = cwd;  // unchanged, or the fallback when the old one vanished
    }

    std::string output = pr.stdout_data;
    if (!pr.stderr_data.empty()) {
      if (!output.empty() && output.back() != '\n') output += '\n';
      output += pr.stderr_data;
    }
    while (!output.empty() && (output.back() == '\n' || output.back() == '\r')) output.pop_back();
    output = TruncateMiddle(output, max_output);

    bool failed = false;
    std::string status;
    if (pr.timed_out) {
      failed = true;
      status = "Command timed out after " + FormatDuration(timeout_ms) + " and was killed.";
    } else if (pr.cancelled) {
      failed = true;
      status = "Command was interrupted by the user and killed.";
    } else if (pr.term_signal != 0) {
      failed = true;
      status = "Command was killed by signal " + std::to_string(pr.term_signal) + ".";
    } else if (pr.exit_code != 0) {
      failed = true;
      status = "Exit code " + std::to_string(pr.exit_code);
    }
    std::string text = note + output;
    if (!status.empty()) {
      if (!output.empty()) text += "\n";
      text += status;
    }
    if (text.empty()) text = "(Bash completed with no output)";
    return ToolResult::Text(text, failed);
  }
};

}  // namespace

std::unique_ptr<Tool> MakeBashTool() { return std::make_unique<BashTool>(); }

}  // namespace brock
