// PKCE (RFC 7636) for the OAuth sign-in of remote MCP servers: a code verifier of 32 random bytes
// from OpenSSL's RNG (43 base64url characters) and its S256 challenge,
// BASE64URL(SHA-256(verifier)). The same random source makes the `state` value that ties the
// browser's callback to the request.
#pragma once

#include <string>
#include <string_view>

namespace brock {

// Base64url without padding (RFC 4648 section 5), as PKCE and OAuth use it.
std::string Base64UrlEncode(std::string_view bytes);

// BASE64URL(SHA-256(ASCII(verifier))): the code_challenge for code_challenge_method=S256.
std::string PkceS256Challenge(std::string_view verifier);

// `bytes` cryptographically random bytes, base64url-encoded (verifier, state).
std::string RandomUrlToken(size_t bytes = 32);

struct Pkce {
  std::string verifier;   // kept by brock, sent with the code exchange
  std::string challenge;  // sent in the authorization request
};

// A fresh verifier and its S256 challenge.
Pkce MakePkce();

}  // namespace brock
