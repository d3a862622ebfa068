#include "cli/report_error.h"

#include <cstdio>
#include <string>

#include "base/secrets.h"

namespace brock {

int ReportError(const Error& error) {
  std::string s = "Error: " + ScrubSecrets(error.ToString()) + "\n";
  std::fwrite(s.data(), 1, s.size(), stderr);
  return 1;
}

}  // namespace brock
