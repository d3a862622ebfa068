// A process-wide registry of secret values (secret keys, session tokens, bearer tokens, SSO
// tokens). Whatever brock prints, logs or writes to a transcript passes through ScrubSecrets, so
// a secret that slipped into a message is replaced by a placeholder instead of leaking.
// Thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace brock {

// Remembers `value` as a secret. Values shorter than 8 characters are ignored (too likely to
// collide with ordinary text).
void RegisterSecret(std::string_view value);

// Returns `text` with every registered secret replaced by "[REDACTED]".
std::string ScrubSecrets(std::string_view text);

// The length of the longest registered secret (0 when none): how much of a stream a printer must
// hold back so that a secret split across two writes is still caught whole.
size_t LongestSecretLength();

// Scrubs text that arrives in pieces (a streamed answer): the tail that could be the start of a
// secret split across two pieces is held back until the next piece or Finish().
class StreamScrubber {
 public:
  // The scrubbed text that is safe to show now.
  std::string Push(std::string_view piece);
  // Everything still held back, scrubbed; the stream starts over.
  std::string Finish();

 private:
  std::string pending_;
};

// Returns a safe description of an access key ID for diagnostics ("AKIA…WXYZ"): key IDs are
// not secret, but brock still shows only their ends.
std::string DescribeAccessKeyId(std::string_view access_key_id);

}  // namespace brock
