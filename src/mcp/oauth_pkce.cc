#include "mcp/oauth_pkce.h"

#include "base/crypto.h"
#include "base/strings.h"

namespace brock {

std::string Base64UrlEncode(std::string_view bytes) {
  std::string out = Base64Encode(bytes);
  while (!out.empty() && out.back() == '=') out.pop_back();
  for (char& c : out) {
    if (c == '+') c = '-';
    if (c == '/') c = '_';
  }
  return out;
}

std::string PkceS256Challenge(std::string_view verifier) {
  return Base64UrlEncode(Sha256(verifier));
}

std::string RandomUrlToken(size_t bytes) { return Base64UrlEncode(RandomBytes(bytes)); }

Pkce MakePkce() {
  Pkce p;
  p.verifier = RandomUrlToken(32);
  p.challenge = PkceS256Challenge(p.verifier);
  return p;
}

}  // namespace brock
