// Env: the seam between brock and the outside world (environment variables, home and working
// directories, the clock, the file system). Production code takes an Env& and never calls
// getenv/time/fopen directly, so unit tests run against FakeEnv in memory.
//
// Variables carry an origin: settings files that set a variable through their `env` block call
// SetVar with the file's path, so error messages can say where a value came from
// ("AWS_REGION=us-east-9 (from /home/me/.claude/settings.json)").
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace brock {

using Clock = std::chrono::system_clock;

struct FileInfo {
  bool exists = false;
  bool is_directory = false;
  int64_t size = 0;
  Clock::time_point modified;
  uint32_t mode = 0;  // permission bits
};

class Env {
 public:
  virtual ~Env() = default;

  // --- variables ---
  // The value of `name`, or nullopt when unset. An empty value counts as set.
  virtual std::optional<std::string> GetVar(std::string_view name) const = 0;
  // Sets `name` for this process and the processes it starts; `origin` says who set it.
  virtual void SetVar(std::string_view name, std::string_view value, std::string_view origin) = 0;
  // Unsets `name`; `origin` is remembered so "unset by <file>" can be reported.
  virtual void UnsetVar(std::string_view name, std::string_view origin) = 0;
  // Who set `name`: a settings file path, or "the shell environment".
  virtual std::string VarOrigin(std::string_view name) const = 0;
  // Every set variable, sorted by name.
  virtual std::map<std::string, std::string> AllVars() const = 0;

  // GetVar, treating an empty value as unset.
  std::optional<std::string> GetNonEmpty(std::string_view name) const;
  // True when the variable is "1", "true", "yes" or "on" (case-insensitive).
  bool GetBool(std::string_view name) const;
  // The variable as a non-negative integer, or `fallback` when it is unset, empty or not one.
  int64_t GetInt(std::string_view name, int64_t fallback) const;

  // --- places ---
  // $HOME (or the password database when unset).
  virtual std::string HomeDir() const = 0;
  // The process's working directory.
  virtual std::string CurrentDir() const = 0;

  // --- time ---
  virtual Clock::time_point Now() const = 0;
  virtual void SleepFor(std::chrono::milliseconds duration) = 0;

  // --- files ---
  // The content of a regular file. A FIFO, device or socket (also through a symlink) is refused
  // at once with "io.not_regular" (base/regular_file.h), never read; a missing file is
  // "io.not_found".
  virtual Result<std::string> ReadFile(const std::string& path) const = 0;
  virtual FileInfo Stat(const std::string& path) const = 0;
  // `path` (absolute) with every symbolic link resolved, or `path` unchanged when it does not
  // exist or cannot be resolved. The default (fakes without links) returns `path`.
  virtual std::string RealPath(const std::string& path) const { return path; }
  // Writes `data` to a temporary file beside `path`, fsyncs it, and renames it over `path`, so
  // readers see the old or the new content, never a mix. Creates missing parent directories
  // (mode 0700). `mode` applies to the new file.
  virtual Status WriteFileAtomic(const std::string& path, std::string_view data,
                                 uint32_t mode = 0644) = 0;
  // Appends `data` to `path` (created with `mode` if missing) and flushes it to the OS.
  virtual Status AppendFile(const std::string& path, std::string_view data,
                            uint32_t mode = 0600) = 0;
  // Names of the entries of a directory (not "." or ".."), sorted; empty when it is missing.
  virtual std::vector<std::string> ListDir(const std::string& path) const = 0;
  virtual Status MakeDirs(const std::string& path, uint32_t mode = 0755) = 0;
  virtual Status RemoveFile(const std::string& path) = 0;
};

// The process's real environment. Never null; lives for the whole process.
Env& RealEnv();

// Expands a leading "~/" to the home directory.
std::string ExpandHome(const Env& env, std::string_view path);

// Joins two path pieces with one '/'. An absolute `b` is returned as is.
std::string JoinPath(std::string_view a, std::string_view b);

// The directory part of `path` ("/a/b" -> "/a", "b" -> ".").
std::string DirName(std::string_view path);

}  // namespace brock
