#include "base/error.h"

#include "base/secrets.h"

namespace brock {

std::string Error::ToString() const {
  std::string out = ScrubSecrets(message);
  if (!fix.empty()) out += "\n  fix: " + ScrubSecrets(fix);
  return out;
}

Error MakeError(std::string code, std::string message, std::string fix) {
  Error e;
  e.code = std::move(code);
  e.message = std::move(message);
  e.fix = std::move(fix);
  return e;
}

}  // namespace brock
