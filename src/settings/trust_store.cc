#include "settings/trust_store.h"

#include <ctime>
#include <nlohmann/json.hpp>

#include "base/error_codes.h"
#include "base/json.h"
#include "base/strings.h"

namespace brock {

namespace {

std::string UtcTimestamp(Clock::time_point t) {
  std::time_t seconds = Clock::to_time_t(t);
  std::tm tm = {};
  gmtime_r(&seconds, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

std::string Canonical(const Env& env, const std::string& dir) {
  return NormalizePath("/", env.RealPath(NormalizePath(env.CurrentDir(), dir)));
}

// True when `dir` is `ancestor` or below it.
bool IsAtOrBelow(const std::string& dir, const std::string& ancestor) {
  if (ancestor == "/") return true;
  return dir == ancestor || StartsWith(dir, ancestor + "/");
}

Error Corrupt(const std::string& path, const std::string& problem) {
  return MakeError("trust.store_corrupt", "the trust store " + path + " " + problem,
                   "remove " + path +
                       " (brock will ask about each project again) or fix its JSON; the format "
                       "is in docs/security.md");
}

// The store's JSON; an empty object when the file does not exist.
Result<Json> ReadStore(const Env& env) {
  std::string path = TrustStorePath(env);
  if (!env.Stat(path).exists) return Json::object();
  Result<std::string> text = env.ReadFile(path);
  if (!text.ok()) {
    return MakeError("trust.store_unreadable",
                     "cannot read the trust store: " + text.error().message,
                     "make " + path + " readable by your user, or remove it");
  }
  Result<Json> parsed = ParseJson(*text, path);
  if (!parsed.ok()) return Corrupt(path, "is not valid JSON: " + parsed.error().message);
  Json& j = parsed.value();
  if (!j.is_object()) return Corrupt(path, "is not a JSON object");
  if (j.contains("directories") && !j["directories"].is_object()) {
    return Corrupt(path, "has a \"directories\" value that is not an object");
  }
  return std::move(j);
}

Status WriteStore(Env& env, Json store) {
  store["version"] = 1;
  if (!store.contains("directories")) store["directories"] = Json::object();
  return env.WriteFileAtomic(TrustStorePath(env), store.dump(2) + "\n", 0600);
}

}  // namespace

std::string TrustStorePath(const Env& env) {
  if (auto h = env.GetNonEmpty("BROCK_HOME")) return JoinPath(*h, "trusted-directories.json");
  return JoinPath(env.HomeDir(), ".brock/trusted-directories.json");
}

std::string TrustDirectoryFor(const std::string& cwd, const ProjectLocation& project) {
  if (!project.git_root.empty()) return project.git_root;
  if (!project.root.empty()) return project.root;
  return cwd;
}

bool CanRememberTrust(const Env& env, const std::string& dir) {
  std::string home = NormalizePath("/", env.HomeDir());
  return !IsAtOrBelow(home, Canonical(env, dir));
}

Result<TrustDecision> LookUpTrust(const Env& env, const std::string& dir) {
  auto store = ReadStore(env);
  if (!store.ok()) return std::move(store).error();
  std::string path = Canonical(env, dir);
  TrustDecision best;
  auto dirs = store->find("directories");
  if (dirs == store->end()) return best;
  for (const auto& [stored, entry] : dirs->items()) {
    if (!entry.is_object() || !entry.contains("trusted") || !entry["trusted"].is_boolean()) {
      continue;  // an entry brock did not write decides nothing
    }
    if (!IsAtOrBelow(path, stored)) continue;
    if (best.state != TrustState::kUnknown && stored.size() <= best.directory.size()) continue;
    best.state = entry["trusted"].get<bool>() ? TrustState::kTrusted : TrustState::kDeclined;
    best.directory = stored;
  }
  return best;
}

Status RecordTrust(Env& env, const std::string& dir, bool trusted) {
  std::string path = Canonical(env, dir);
  if (!CanRememberTrust(env, path)) {
    return MakeError("trust.not_rememberable",
                     "brock does not remember trust for " + path +
                         ": it is your home directory or above it, so it would cover every "
                         "project below it",
                     "trust the project's own directory instead (cd into it and run brock trust)");
  }
  auto store = ReadStore(env);
  if (!store.ok()) return std::move(store).error();
  (*store)["directories"][path] = {{"trusted", trusted}, {"decided_at", UtcTimestamp(env.Now())}};
  return WriteStore(env, std::move(store).value());
}

Result<bool> ForgetTrust(Env& env, const std::string& dir) {
  auto store = ReadStore(env);
  if (!store.ok()) return std::move(store).error();
  std::string path = Canonical(env, dir);
  auto dirs = store->find("directories");
  if (dirs == store->end() || !dirs->contains(path)) return false;
  dirs->erase(path);
  if (Status s = WriteStore(env, std::move(store).value()); !s.ok()) return s.error();
  return true;
}

Result<std::map<std::string, bool>> ListTrust(const Env& env) {
  auto store = ReadStore(env);
  if (!store.ok()) return std::move(store).error();
  std::map<std::string, bool> out;
  auto dirs = store->find("directories");
  if (dirs == store->end()) return out;
  for (const auto& [stored, entry] : dirs->items()) {
    if (entry.is_object() && entry.contains("trusted") && entry["trusted"].is_boolean()) {
      out[stored] = entry["trusted"].get<bool>();
    }
  }
  return out;
}

}  // namespace brock
