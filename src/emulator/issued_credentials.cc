#include "emulator/issued_credentials.h"

#include "base/crypto.h"
#include "base/strings.h"

namespace brock {

namespace {

std::string Upper(std::string s) {
  for (char& c : s) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  }
  return s;
}

// Random text from the base64 alphabet (no padding), `n` characters.
std::string RandomText(size_t n) {
  std::string out = Base64Encode(RandomBytes(n));
  return out.substr(0, n);
}

}  // namespace

IssuedCredential DeterministicCredential(std::string_view seed, uint64_t n) {
  std::string s(seed);
  std::string num = std::to_string(n);
  IssuedCredential c;
  c.access_key_id = "ASIA" + Upper(Sha256Hex("akid/" + s + "/" + num).substr(0, 16));
  c.secret_access_key =
      s + "/secret/" + num + "/" + Sha256Hex("secret/" + s + "/" + num).substr(0, 24);
  c.session_token = "IQoJ" + s + "/token/" + num + "/" + Sha256Hex("token/" + s + "/" + num);
  return c;
}

IssuedCredentialStore::IssuedCredentialStore(std::chrono::seconds lifetime, std::string seed,
                                             std::function<Clock::time_point()> now)
    : lifetime_(lifetime), seed_(std::move(seed)), now_(std::move(now)) {}

IssuedCredential IssuedCredentialStore::Issue(const std::string& arn, const std::string& user_id,
                                              const std::string& issued_by) {
  Clock::time_point now = Now();
  std::lock_guard<std::mutex> lock(mu_);
  IssuedCredential c;
  if (!seed_.empty()) {
    c = DeterministicCredential(seed_, issued_.size() + 1);
  } else {
    do {
      c.access_key_id = "ASIA" + Upper(HexEncode(RandomBytes(8)));
    } while (by_key_.count(c.access_key_id));
    c.secret_access_key = RandomText(40);
    c.session_token = "IQoJ" + RandomText(220);
  }
  c.issued_at = now;
  c.expires_at = now + lifetime_;
  c.arn = arn;
  c.user_id = user_id;
  c.issued_by = issued_by;
  by_key_[c.access_key_id] = issued_.size();
  issued_.push_back(c);
  return c;
}

std::optional<IssuedCredential> IssuedCredentialStore::Find(
    const std::string& access_key_id) const {
  std::lock_guard<std::mutex> lock(mu_);
  auto it = by_key_.find(access_key_id);
  if (it == by_key_.end()) return std::nullopt;
  return issued_[it->second];
}

std::vector<IssuedCredential> IssuedCredentialStore::All() const {
  std::lock_guard<std::mutex> lock(mu_);
  return issued_;
}

}  // namespace brock
