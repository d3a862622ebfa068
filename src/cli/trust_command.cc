#include "cli/trust_command.h"

#include <cstdio>
#include <string>
#include <vector>

#include "base/env.h"
#include "cli/report_error.h"
#include "settings/settings_locate.h"
#include "settings/trust_store.h"

namespace brock {

namespace {

constexpr char kUsage[] =
    "Usage: brock trust [DIR]            trust DIR (default: the working directory)\n"
    "       brock trust --revoke [DIR]   keep DIR's project files restricted, without asking\n"
    "       brock trust --forget [DIR]   forget the decision; the next interactive run asks\n"
    "       brock trust --list           the directories decided so far\n"
    "\n"
    "A project's .claude/settings.json, .claude/settings.local.json and CLAUDE.md imports apply\n"
    "in full only in a trusted directory: until then they may not run commands, redirect\n"
    "credentials, endpoints, proxies or shells, widen permissions, or import files from outside\n"
    "the project. DIR stands for its git root (else the folder holding .claude/); trusting it\n"
    "trusts everything below it. Your home directory and its parents cannot be trusted this way.\n";

int Usage(const std::string& problem) {
  std::fprintf(stderr, "Error: %s\n\n%s", problem.c_str(), kUsage);
  return 2;
}

}  // namespace

int RunTrustCommand(int argc, char** argv) {
  enum class Action { kTrust, kRevoke, kForget, kList } action = Action::kTrust;
  std::vector<std::string> dirs;
  for (int i = 1; i < argc; ++i) {
    std::string arg = argv[i];
    if (arg == "--help" || arg == "-h") {
      std::fputs(kUsage, stdout);
      return 0;
    }
    if (arg == "--revoke") {
      action = Action::kRevoke;
    } else if (arg == "--forget") {
      action = Action::kForget;
    } else if (arg == "--list") {
      action = Action::kList;
    } else if (!arg.empty() && arg[0] == '-') {
      return Usage("unknown option " + arg);
    } else {
      dirs.push_back(arg);
    }
  }
  if (dirs.size() > 1) return Usage("give at most one directory");
  Env& env = RealEnv();

  if (action == Action::kList) {
    if (!dirs.empty()) return Usage("--list takes no directory");
    auto all = ListTrust(env);
    if (!all.ok()) return ReportError(all.error());
    for (const auto& [dir, trusted] : *all) {
      std::printf("%s  %s\n", trusted ? "trusted    " : "not trusted", dir.c_str());
    }
    return 0;
  }

  std::string given =
      NormalizePath(env.CurrentDir(), dirs.empty() ? "." : ExpandHome(env, dirs[0]));
  FileInfo info = env.Stat(given);
  if (!info.exists || !info.is_directory) {
    return ReportError(MakeError("trust.no_directory", given + " is not a directory",
                                 "pass the project's directory (or run brock trust inside it)"));
  }
  given = env.RealPath(given);
  std::string dir = TrustDirectoryFor(given, FindProject(env, given));
  std::string covers = dir == given ? "" : " (it governs " + given + ")";

  if (action == Action::kForget) {
    auto forgot = ForgetTrust(env, dir);
    if (!forgot.ok()) return ReportError(forgot.error());
    std::printf(*forgot ? "forgot the decision for %s\n" : "no decision was stored for %s\n",
                dir.c_str());
    return 0;
  }
  bool trusted = action == Action::kTrust;
  if (Status s = RecordTrust(env, dir, trusted); !s.ok()) return ReportError(s.error());
  std::printf("%s %s%s\n", trusted ? "trusted" : "not trusted:", dir.c_str(), covers.c_str());
  return 0;
}

}  // namespace brock
