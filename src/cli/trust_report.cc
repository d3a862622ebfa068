#include "cli/trust_report.h"

#include "base/strings.h"

namespace brock {

namespace {

std::string Relative(const std::string& path, const std::string& dir) {
  if (StartsWith(path, dir + "/")) return path.substr(dir.size() + 1);
  return path;
}

}  // namespace

std::string DescribeTrustReport(const TrustReport& report) {
  std::string out;
  for (const IgnoredSetting& i : report.ignored) {
    out += "  " + Relative(i.file, report.directory) + "  " + i.key + " = " + i.value + "\n";
  }
  for (const std::string& r : report.refused_imports) out += "  memory: " + r + "\n";
  return out;
}

std::string UntrustedNotice(const TrustReport& report) {
  std::vector<std::string> parts;
  if (!report.ignored.empty()) parts.push_back("ignored " + IgnoredKeysSummary(report.ignored));
  if (!report.refused_imports.empty()) {
    parts.push_back("did not load " + std::to_string(report.refused_imports.size()) +
                    " CLAUDE.md import(s) from outside it");
  }
  std::string how = report.rememberable
                        ? "to trust it, run brock trust " + QuoteForDisplay(report.directory) +
                              " or answer the question in an interactive brock there"
                        : "it is your home directory or above, which brock trusts only for one "
                          "interactive session at a time";
  return "project " + report.directory + " is not trusted: " + Join(parts, "; ") + " (" + how + ")";
}

}  // namespace brock
