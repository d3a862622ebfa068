// What an untrusted workspace's files asked for and did not get, and how brock says so: the
// interactive trust question lists it item by item; print mode (which never asks) names it in one
// stderr line. The rules themselves are settings/workspace_trust.h and docs/security.md.
#pragma once

#include <string>
#include <vector>

#include "settings/workspace_trust.h"

namespace brock {

struct TrustReport {
  std::string directory;     // what trusting covers (git root, else project root, else cwd)
  bool rememberable = true;  // false for the home directory and above: session-only trust
  std::vector<IgnoredSetting> ignored;       // from the project and local settings files
  std::vector<std::string> refused_imports;  // CLAUDE.md imports outside the project

  bool empty() const { return ignored.empty() && refused_imports.empty(); }
};

// The question's body: one line per item, "  .claude/settings.json  awsAuthRefresh = \"...\"",
// paths shown relative to the directory. Ends with a newline.
std::string DescribeTrustReport(const TrustReport& report);

// The one line print mode writes: what was ignored and how to trust the directory.
std::string UntrustedNotice(const TrustReport& report);

}  // namespace brock
