#include "base/secrets.h"

#include <algorithm>
#include <mutex>
#include <set>
#include <vector>

namespace brock {
namespace {

std::mutex& Mu() {
  static std::mutex mu;
  return mu;
}

std::set<std::string>& Secrets() {
  static std::set<std::string> secrets;
  return secrets;
}

}  // namespace

void RegisterSecret(std::string_view value) {
  if (value.size() < 8) return;
  std::lock_guard<std::mutex> lock(Mu());
  Secrets().emplace(value);
}

std::string ScrubSecrets(std::string_view text) {
  std::string out(text);
  std::lock_guard<std::mutex> lock(Mu());
  // Longest first so a secret that contains another is replaced whole.
  std::vector<const std::string*> order;
  for (const auto& s : Secrets()) order.push_back(&s);
  std::sort(order.begin(), order.end(),
            [](const std::string* a, const std::string* b) { return a->size() > b->size(); });
  for (const std::string* s : order) {
    size_t pos = 0;
    while ((pos = out.find(*s, pos)) != std::string::npos) {
      out.replace(pos, s->size(), "[REDACTED]");
      pos += 10;
    }
  }
  return out;
}

size_t LongestSecretLength() {
  std::lock_guard<std::mutex> lock(Mu());
  size_t longest = 0;
  for (const auto& s : Secrets()) longest = std::max(longest, s.size());
  return longest;
}

std::string DescribeAccessKeyId(std::string_view id) {
  if (id.size() <= 8) return "(short key id)";
  return std::string(id.substr(0, 4)) + "…" + std::string(id.substr(id.size() - 4));
}

std::string StreamScrubber::Push(std::string_view piece) {
  pending_ = ScrubSecrets(pending_ + std::string(piece));
  size_t hold = LongestSecretLength();
  hold = hold > 0 ? hold - 1 : 0;
  if (pending_.size() <= hold) return {};
  size_t emit = pending_.size() - hold;
  std::string out = pending_.substr(0, emit);
  pending_.erase(0, emit);
  return out;
}

std::string StreamScrubber::Finish() {
  std::string out = ScrubSecrets(pending_);
  pending_.clear();
  return out;
}

}  // namespace brock
