// Test helpers for the tool tests: a real temporary directory and a ToolContext around it.
#pragma once

#include <ftw.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include <gtest/gtest.h>

#include "agent/tool.h"
#include "base/env.h"
#include "base/process.h"

namespace brock::testing {

// A fresh directory under $TMPDIR (or /tmp), removed with its content on destruction.
class TempDir {
 public:
  TempDir() {
    const char* base = ::getenv("TMPDIR");
    std::string tmpl = std::string(base && *base ? base : "/tmp") + "/brock-tool-test-XXXXXX";
    char* made = ::mkdtemp(tmpl.data());
    if (made != nullptr) {
      // Resolve symlinks in TMPDIR so paths compare equal to what `pwd` prints.
      char* real = ::realpath(made, nullptr);
      path_ = real ? real : made;
      ::free(real);
    }
  }
  ~TempDir() {
    if (path_.empty()) return;
    ::nftw(
        path_.c_str(),
        [](const char* p, const struct stat*, int, struct FTW*) { return ::remove(p); }, 16,
        FTW_DEPTH | FTW_PHYS);
  }
  const std::string& path() const { return path_; }
  std::string operator/(const std::string& name) const { return path_ + "/" + name; }

 private:
  std::string path_;
};

inline void WriteRaw(const std::string& path, const std::string& data) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  f << data;
}

inline std::string ReadRaw(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

inline uint32_t ModeOf(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return 0;
  return st.st_mode & 07777;
}

// A ToolContext over the real Env and process runner, rooted at `cwd`.
struct ContextHolder {
  explicit ContextHolder(const std::string& cwd, Env& env = RealEnv(),
                         ProcessRunner& runner = RealProcessRunner())
      : ctx{env, runner, cwd, {}, &reads, nullptr, &todos, {}, nullptr} {}
  std::map<std::string, ReadRecord> reads;
  Json todos = Json::array();
  ToolContext ctx;
};

// Runs `tool` and fails the test when Run returns an Error (tools report problems in-band).
inline ToolResult RunOk(Tool& tool, const Json& input, ToolContext& ctx) {
  Result<ToolResult> r = tool.Run(input, ctx);
  if (!r.ok()) {
    ADD_FAILURE() << "Run returned an Error: " << r.error().ToString();
    return ToolResult::Text("", true);
  }
  return std::move(r).value();
}

}  // namespace brock::testing
