// FakeEnv: an in-memory Env for unit tests. Variables, files and the clock are plain data that a
// test sets up and inspects; nothing touches the real machine.
#pragma once

#include <map>
#include <string>

#include "base/env.h"

namespace brock::testing {

class FakeEnv : public Env {
 public:
  FakeEnv();

  // Test setup.
  std::map<std::string, std::string> vars;        // the environment
  std::map<std::string, std::string> origins;     // VarOrigin overrides
  std::map<std::string, std::string> files;       // path -> content
  std::map<std::string, uint32_t> modes;          // path -> mode of files written
  std::map<std::string, std::string> real_paths;  // RealPath: path -> where its links lead
  std::string home = "/home/user";
  std::string cwd = "/home/user/project";
  Clock::time_point now;               // defaults to 2026-01-01T00:00:00Z
  std::chrono::milliseconds slept{0};  // total of SleepFor calls

  std::optional<std::string> GetVar(std::string_view name) const override;
  void SetVar(std::string_view name, std::string_view value, std::string_view origin) override;
  void UnsetVar(std::string_view name, std::string_view origin) override;
  std::string VarOrigin(std::string_view name) const override;
  std::map<std::string, std::string> AllVars() const override;
  std::string HomeDir() const override;
  std::string CurrentDir() const override;
  Clock::time_point Now() const override;
  void SleepFor(std::chrono::milliseconds d) override;
  Result<std::string> ReadFile(const std::string& path) const override;
  FileInfo Stat(const std::string& path) const override;
  std::string RealPath(const std::string& path) const override;
  Status WriteFileAtomic(const std::string& path, std::string_view data, uint32_t mode) override;
  Status AppendFile(const std::string& path, std::string_view data, uint32_t mode) override;
  std::vector<std::string> ListDir(const std::string& path) const override;
  Status MakeDirs(const std::string& path, uint32_t mode) override;
  Status RemoveFile(const std::string& path) override;
};

}  // namespace brock::testing
