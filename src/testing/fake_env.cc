#include "testing/fake_env.h"

#include <set>

#include "base/strings.h"

namespace brock::testing {

FakeEnv::FakeEnv() : now(Clock::from_time_t(1767225600)) {}  // 2026-01-01T00:00:00Z

std::optional<std::string> FakeEnv::GetVar(std::string_view name) const {
  auto it = vars.find(std::string(name));
  if (it == vars.end()) return std::nullopt;
  return it->second;
}

void FakeEnv::SetVar(std::string_view name, std::string_view value, std::string_view origin) {
  vars[std::string(name)] = std::string(value);
  origins[std::string(name)] = std::string(origin);
}

void FakeEnv::UnsetVar(std::string_view name, std::string_view origin) {
  vars.erase(std::string(name));
  origins[std::string(name)] = std::string(origin);
}

std::string FakeEnv::VarOrigin(std::string_view name) const {
  auto it = origins.find(std::string(name));
  return it == origins.end() ? "the shell environment" : it->second;
}

std::map<std::string, std::string> FakeEnv::AllVars() const { return vars; }
std::string FakeEnv::HomeDir() const { return home; }
std::string FakeEnv::CurrentDir() const { return cwd; }
Clock::time_point FakeEnv::Now() const { return now; }

void FakeEnv::SleepFor(std::chrono::milliseconds d) {
  slept += d;
  now += d;
}

Result<std::string> FakeEnv::ReadFile(const std::string& path) const {
  auto it = files.find(path);
  if (it == files.end()) {
    return MakeError("io.not_found", "cannot read " + path + ": No such file or directory",
                     "check that the path exists");
  }
  return it->second;
}

std::string FakeEnv::RealPath(const std::string& path) const {
  auto it = real_paths.find(path);
  return it == real_paths.end() ? path : it->second;
}

FileInfo FakeEnv::Stat(const std::string& path) const {
  FileInfo info;
  if (auto it = files.find(path); it != files.end()) {
    info.exists = true;
    info.size = static_cast<int64_t>(it->second.size());
    auto m = modes.find(path);
    info.mode = m == modes.end() ? 0644 : m->second;
    info.modified = now;
    return info;
  }
  std::string prefix = path.empty() || path.back() == '/' ? path : path + "/";
  for (const auto& [p, _] : files) {
    if (StartsWith(p, prefix)) {
      info.exists = true;
      info.is_directory = true;
      return info;
    }
  }
  return info;
}

Status FakeEnv::WriteFileAtomic(const std::string& path, std::string_view data, uint32_t mode) {
  files[path] = std::string(data);
  modes[path] = mode;
  return {};
}

Status FakeEnv::AppendFile(const std::string& path, std::string_view data, uint32_t mode) {
  if (!files.count(path)) modes[path] = mode;
  files[path] += std::string(data);
  return {};
}

std::vector<std::string> FakeEnv::ListDir(const std::string& path) const {
  std::set<std::string> names;
  std::string prefix = path.empty() || path.back() == '/' ? path : path + "/";
  for (const auto& [p, _] : files) {
    if (!StartsWith(p, prefix)) continue;
    std::string rest = p.substr(prefix.size());
    names.insert(rest.substr(0, rest.find('/')));
  }
  return {names.begin(), names.end()};
}

Status FakeEnv::MakeDirs(const std::string&, uint32_t) { return {}; }

Status FakeEnv::RemoveFile(const std::string& path) {
  files.erase(path);
  return {};
}

}  // namespace brock::testing
