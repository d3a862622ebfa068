#include "base/env.h"

#include <dirent.h>
#include <fcntl.h>
#include <pwd.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <thread>

#include "base/regular_file.h"
#include "base/strings.h"

extern char** environ;

namespace brock {

std::optional<std::string> Env::GetNonEmpty(std::string_view name) const {
  auto v = GetVar(name);
  if (!v || v->empty()) return std::nullopt;
  return v;
}

bool Env::GetBool(std::string_view name) const {
  auto v = GetVar(name);
  if (!v) return false;
  std::string s = ToLower(Trim(*v));
  return s == "1" || s == "true" || s == "yes" || s == "on";
}

int64_t Env::GetInt(std::string_view name, int64_t fallback) const {
  auto v = GetNonEmpty(name);
  if (!v) return fallback;
  std::string_view s = Trim(*v);
  if (s.empty() || s.size() > 18) return fallback;
  int64_t n = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return fallback;
    n = n * 10 + (c - '0');
  }
  return n;
}

std::string ExpandHome(const Env& env, std::string_view path) {
  if (path == "~") return env.HomeDir();
  if (StartsWith(path, "~/")) return JoinPath(env.HomeDir(), path.substr(2));
  return std::string(path);
}

std::string JoinPath(std::string_view a, std::string_view b) {
  if (!b.empty() && b[0] == '/') return std::string(b);
  if (a.empty()) return std::string(b);
  std::string out(a);
  if (out.back() != '/') out += '/';
  out += b;
  return out;
}

std::string DirName(std::string_view path) {
  size_t slash = path.rfind('/');
  if (slash == std::string_view::npos) return ".";
  if (slash == 0) return "/";
  return std::string(path.substr(0, slash));
}

namespace {

Error IoError(const std::string& what, const std::string& path, int err) {
  Error e = MakeError("io.error", what + " " + path + ": " + std::strerror(err),
                      "check that the path exists and that you may access it");
  return e;
}

class PosixEnv : public Env {
 public:
  std::optional<std::string> GetVar(std::string_view name) const override {
    std::string key(name);
    const char* v = ::getenv(key.c_str());
    if (!v) return std::nullopt;
    return std::string(v);
  }

  void SetVar(std::string_view name, std::string_view value, std::string_view origin) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::string key(name), val(value);
    ::setenv(key.c_str(), val.c_str(), 1);
    origins_[key] = std::string(origin);
  }

  void UnsetVar(std::string_view name, std::string_view origin) override {
    std::lock_guard<std::mutex> lock(mu_);
    std::string key(name);
    ::unsetenv(key.c_str());
    origins_[key] = std::string(origin);
  }

  std::string VarOrigin(std::string_view name) const override {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = origins_.find(std::string(name));
    return it == origins_.end() ? "the shell environment" : it->second;
  }

  std::map<std::string, std::string> AllVars() const override {
    std::map<std::string, std::string> out;
    for (char** e = environ; e && *e; ++e) {
      std::string_view kv(*e);
      size_t eq = kv.find('=');
      if (eq == std::string_view::npos) continue;
      out.emplace(std::string(kv.substr(0, eq)), std::string(kv.substr(eq + 1)));
    }
    return out;
  }

  std::string HomeDir() const override {
    if (auto h = GetNonEmpty("HOME")) return *h;
    if (struct passwd* pw = ::getpwuid(::getuid()); pw && pw->pw_dir) return pw->pw_dir;
    return "/";
  }

  std::string CurrentDir() const override {
    char buf[4096];
    if (::getcwd(buf, sizeof buf)) return buf;
    return ".";
  }

  Clock::time_point Now() const override { return Clock::now(); }

  void SleepFor(std::chrono::milliseconds d) override { std::this_thread::sleep_for(d); }

  // Only regular files (base/regular_file.h): a FIFO or device is refused, never waited on.
  Result<std::string> ReadFile(const std::string& path) const override {
    return ReadRegularFile(path);
  }

  std::string RealPath(const std::string& path) const override {
    char* resolved = ::realpath(path.c_str(), nullptr);
    if (!resolved) return path;
    std::string out(resolved);
    std::free(resolved);
    return out;
  }

  FileInfo Stat(const std::string& path) const override {
    FileInfo info;
    struct stat st;
    if (::stat(path.c_str(), &st) != 0) return info;
    info.exists = true;
    info.is_directory = S_ISDIR(st.st_mode);
    info.size = st.st_size;
    info.mode = st.st_mode & 07777;
    info.modified = Clock::time_point(std::chrono::duration_cast<Clock::duration>(
        std::chrono::seconds(st.st_mtim.tv_sec) + std::chrono::nanoseconds(st.st_mtim.tv_nsec)));
    return info;
  }

  Status WriteFileAtomic(const std::string& path, std::string_view data, uint32_t mode) override {
    if (Status s = MakeDirs(DirName(path), 0700); !s.ok()) return s;
    std::string tmp =
        path + ".tmp." + std::to_string(::getpid()) + "." + std::to_string(counter_++);
    int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
    if (fd < 0) return IoError("cannot create", tmp, errno);
    ::fchmod(fd, mode);  // not subject to umask
    Status s = WriteAll(fd, data, tmp);
    if (s.ok() && ::fsync(fd) != 0) s = IoError("cannot sync", tmp, errno);
    ::close(fd);
    if (s.ok() && ::rename(tmp.c_str(), path.c_str()) != 0)
      s = IoError("cannot replace", path, errno);
    if (!s.ok()) ::unlink(tmp.c_str());
    return s;
  }

  Status AppendFile(const std::string& path, std::string_view data, uint32_t mode) override {
    if (Status s = MakeDirs(DirName(path), 0700); !s.ok()) return s;
    int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, mode);
    if (fd < 0) return IoError("cannot open", path, errno);
    Status s = WriteAll(fd, data, path);
    ::close(fd);
    return s;
  }

  std::vector<std::string> ListDir(const std::string& path) const override {
    std::vector<std::string> out;
    DIR* d = ::opendir(path.c_str());
    if (!d) return out;
    while (struct dirent* e = ::readdir(d)) {
      std::string name = e->d_name;
      if (name == "." || name == "..") continue;
      out.push_back(std::move(name));
    }
    ::closedir(d);
    std::sort(out.begin(), out.end());
    return out;
  }

  Status MakeDirs(const std::string& path, uint32_t mode) override {
    if (path.empty() || path == "/" || path == ".") return {};
    struct stat st;
    if (::stat(path.c_str(), &st) == 0) {
      if (S_ISDIR(st.st_mode)) return {};
      return MakeError("io.not_a_directory", path + " exists and is not a directory",
                       "move the file out of the way");
    }
    if (Status s = MakeDirs(DirName(path), mode); !s.ok()) return s;
    if (::mkdir(path.c_str(), mode) != 0 && errno != EEXIST) {
      return IoError("cannot create directory", path, errno);
    }
    return {};
  }

  Status RemoveFile(const std::string& path) override {
    if (::unlink(path.c_str()) != 0 && errno != ENOENT)
      return IoError("cannot remove", path, errno);
    return {};
  }

 private:
  static Status WriteAll(int fd, std::string_view data, const std::string& path) {
    while (!data.empty()) {
      ssize_t n = ::write(fd, data.data(), data.size());
      if (n < 0) {
        if (errno == EINTR) continue;
        return IoError("cannot write", path, errno);
      }
      data.remove_prefix(static_cast<size_t>(n));
    }
    return {};
  }

  mutable std::mutex mu_;
  std::map<std::string, std::string> origins_;
  std::atomic<unsigned> counter_{0};
};

}  // namespace

Env& RealEnv() {
  static PosixEnv* env = new PosixEnv();  // never destroyed: usable from any static destructor
  return *env;
}

}  // namespace brock
