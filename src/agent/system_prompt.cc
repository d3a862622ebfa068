#include "agent/system_prompt.h"

#include <sys/utsname.h>

#include <ctime>

namespace brock {

namespace {

const char kBrockPrompt[] =
    "You are brock, a coding agent running in the user's terminal, served through Amazon "
    "Bedrock. You help with software engineering: reading and changing code, running commands, "
    "explaining. Be concise and direct; answer in plain text suited to a terminal. Use the tools "
    "to look before you change anything, keep changes minimal and in the style of the code "
    "around them, and verify your work (build, tests) when you can. Never invent file contents, "
    "command output or results. Do not reveal secrets such as keys or tokens that you come "
    "across.";

std::string Today(const Env& env) {
  std::time_t t = Clock::to_time_t(env.Now());
  std::tm tm;
  gmtime_r(&t, &tm);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", &tm);
  return buf;
}

std::string Platform() {
  struct utsname u;
  if (uname(&u) != 0) return "linux";
  return std::string(u.sysname) + " " + u.release + " " + u.machine;
}

}  // namespace

std::string BuildSystemPrompt(const Env& env, const SystemPromptInputs& in) {
  std::string out = in.replace.empty() ? std::string(kBrockPrompt) : in.replace;
  out += "\n\n<env>\nWorking directory: " + in.cwd +
         "\nIs a git repository: " + (in.is_git_repo ? "yes" : "no") + "\nPlatform: " + Platform() +
         "\nToday's date: " + Today(env) + "\n</env>";
  if (!in.git_status.empty())
    out += "\n\nGit status at the start of the session:\n" + in.git_status;
  if (!in.memory.empty()) {
    out +=
        "\n\nInstructions from the user's memory files (CLAUDE.md). They override defaults; "
        "follow them exactly:\n" +
        in.memory;
  }
  if (!in.append.empty()) out += "\n\n" + in.append;
  return out;
}

}  // namespace brock
