// Temporary credentials the emulator hands out (STS AssumeRole / AssumeRoleWithWebIdentity,
// IMDS, the container credentials endpoint), kept so that the Bedrock runtime and STS accept
// them until they expire and answer ExpiredTokenException / ExpiredToken afterwards.
//
// Each credential has an access key id "ASIA...", a secret access key, a session token and an
// expiry `lifetime` after it is issued (by the store's clock, which a test can replace). With a
// seed, the values are deterministic so an end-to-end test can look for them in brock's output:
// the n-th credentials issued (n = 1, 2, ... across all three services) are exactly
// DeterministicCredential(seed, n):
//   AccessKeyId      "ASIA" + the first 16 hex digits (upper case) of SHA-256("akid/<seed>/<n>")
//   SecretAccessKey  "<seed>/secret/<n>/" + the first 24 hex digits of SHA-256("secret/<seed>/<n>")
//   SessionToken     "IQoJ<seed>/token/<n>/" + SHA-256 hex of ("token/<seed>/<n>")
// so every secret of a seeded emulator contains the seed. Without a seed they are random.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"

namespace brock {

struct IssuedCredential {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;
  Clock::time_point issued_at;
  Clock::time_point expires_at;
  std::string arn;        // the identity (an assumed-role ARN), for GetCallerIdentity
  std::string user_id;    // "AROA...:session"
  std::string issued_by;  // "AssumeRole", "AssumeRoleWithWebIdentity", "IMDS", "Container"
};

// The n-th (1-based) credentials of a seeded store: key id, secret and token as described above
// (the other fields are left empty).
IssuedCredential DeterministicCredential(std::string_view seed, uint64_t n);

class IssuedCredentialStore {
 public:
  // `lifetime`: how long each credential is valid. `seed` "" : random values. `now` null: the
  // system clock.
  explicit IssuedCredentialStore(std::chrono::seconds lifetime, std::string seed = "",
                                 std::function<Clock::time_point()> now = {});

  // Creates, keeps and returns new credentials for identity `arn` / `user_id`. Thread-safe.
  IssuedCredential Issue(const std::string& arn, const std::string& user_id,
                         const std::string& issued_by);
  // The credentials with this access key id (also when expired), or nullopt. Thread-safe.
  std::optional<IssuedCredential> Find(const std::string& access_key_id) const;
  // Every credential issued so far, in order. Thread-safe.
  std::vector<IssuedCredential> All() const;
  // True when `c` has expired by the store's clock.
  bool Expired(const IssuedCredential& c) const { return Now() >= c.expires_at; }
  // True when more than half of `c`'s lifetime is left: a metadata-style service (IMDS, the
  // container endpoint) keeps answering it until then.
  bool StillFresh(const IssuedCredential& c) const {
    return Now() < c.issued_at + (c.expires_at - c.issued_at) / 2;
  }

  Clock::time_point Now() const { return now_ ? now_() : Clock::now(); }
  std::chrono::seconds lifetime() const { return lifetime_; }

 private:
  std::chrono::seconds lifetime_;
  std::string seed_;
  std::function<Clock::time_point()> now_;
  mutable std::mutex mu_;
  std::vector<IssuedCredential> issued_;
  std::map<std::string, size_t> by_key_;  // access key id -> index in issued_
};

}  // namespace brock
