#include "agent/memory.h"

#include <cctype>
#include <set>

#include "agent/permission_rule.h"
#include "base/strings.h"

namespace brock {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// If `line` opens or closes a fence, returns its marker char and length; else {0, 0}.
std::pair<char, size_t> FenceMarker(std::string_view line) {
  size_t i = 0;
  while (i < line.size() && i < 3 && line[i] == ' ') ++i;
  if (i >= line.size() || (line[i] != '`' && line[i] != '~')) return {0, 0};
  char c = line[i];
  size_t n = 0;
  while (i + n < line.size() && line[i + n] == c) ++n;
  if (n < 3) return {0, 0};
  return {c, n};
}

// Imports on one line outside fenced blocks, skipping inline code spans.
void ImportsOnLine(std::string_view line, std::vector<std::string>* out) {
  size_t i = 0;
  while (i < line.size()) {
    char c = line[i];
    if (c == '`') {
      size_t run = 0;
      while (i + run < line.size() && line[i + run] == '`') ++run;
      // Find a closing run of exactly the same length.
      size_t j = i + run;
      size_t close = std::string_view::npos;
      while (j < line.size()) {
        if (line[j] != '`') {
          ++j;
          continue;
        }
        size_t r = 0;
        while (j + r < line.size() && line[j + r] == '`') ++r;
        if (r == run) {
          close = j + r;
          break;
        }
        j += r;
      }
      i = close == std::string_view::npos ? i + run : close;
      continue;
    }
    if (c == '@' && (i == 0 || IsBlank(line[i - 1]))) {
      std::string path;
      size_t j = i + 1;
      while (j < line.size() && !IsBlank(line[j])) {
        if (line[j] == '\\' && j + 1 < line.size() && line[j + 1] == ' ') {
          path += ' ';
          j += 2;
          continue;
        }
        path += line[j++];
      }
      if (!path.empty()) out->push_back(std::move(path));
      i = j;
      continue;
    }
    ++i;
  }
}

std::string TypeDescription(const std::string& type) {
  if (type == "managed") return "organisation instructions, set by your administrator";
  if (type == "user") return "the user's private instructions for all projects";
  if (type == "local") return "the user's private instructions for this project, not checked in";
  return "project instructions, checked into the codebase";
}

class Loader {
 public:
  Loader(const Env& env, const MemoryOptions& options, std::string home)
      : env_(env), options_(options), home_(std::move(home)) {}

  void Visit(const std::string& path, const std::string& type, const std::string& from, int depth) {
    if (seen_.count(path)) return;
    FileInfo info = env_.Stat(path);
    if (info.exists && !info.is_directory && IsOutsideConfinement(path, type, from)) return;
    if (!info.exists || info.is_directory) {
      if (!from.empty()) {
        load_.notes.push_back("memory: " + from + " imports " + path + ", which does not exist");
      }
      return;
    }
    if (static_cast<size_t>(info.size) > options_.max_file_bytes) {
      load_.notes.push_back("memory: skipped " + path + ": larger than " +
                            std::to_string(options_.max_file_bytes) + " bytes");
      return;
    }
    Result<std::string> content = env_.ReadFile(path);
    if (!content.ok()) {
      load_.notes.push_back("memory: skipped " + path + ": " + content.error().message);
      return;
    }
    if (content->find('\0') != std::string::npos) {
      load_.notes.push_back("memory: skipped " + path + ": not a text file");
      return;
    }
    seen_.insert(path);
    load_.files.push_back({path, *content, type, from, depth});
    std::vector<std::string> imports = FindImports(*content);
    if (imports.empty()) return;
    if (depth >= options_.max_import_depth) {
      load_.notes.push_back("memory: imports in " + path + " not followed (more than " +
                            std::to_string(options_.max_import_depth) + " hops deep)");
      return;
    }
    std::string dir = DirName(path);
    for (const std::string& imp : imports) {
      std::string target = Resolve(imp, dir);
      if (!env_.Stat(target).exists) {
        // "see @README.md." - retry without trailing punctuation.
        std::string trimmed = imp;
        while (!trimmed.empty() &&
               std::string_view(".,;:!?)]}\"'").find(trimmed.back()) != std::string_view::npos) {
          trimmed.pop_back();
        }
        if (!trimmed.empty() && trimmed != imp) {
          std::string alt = Resolve(trimmed, dir);
          if (env_.Stat(alt).exists) target = alt;
        }
      }
      Visit(target, type, path, depth + 1);
    }
  }

  MemoryLoad Take() { return std::move(load_); }

 private:
  // True (and recorded) when an untrusted project's file would bring in `path` from outside the
  // project: an import, or a located file that is a symbolic link leading outside.
  bool IsOutsideConfinement(const std::string& path, const std::string& type,
                            const std::string& from) {
    if (options_.confine_project_to.empty() || (type != "project" && type != "local")) {
      return false;
    }
    std::string real = env_.RealPath(path);
    if (from.empty() && real == path) return false;  // found by location, not a link
    std::string boundary = env_.RealPath(options_.confine_project_to);
    if (boundary == "/" || real == boundary || real.rfind(boundary + "/", 0) == 0) return false;
    std::string what = from.empty() ? path + " links to " + real : from + " imports " + real;
    load_.refused.push_back(what);  // the session's one trust notice names it
    return true;
  }

  std::string Resolve(const std::string& imp, const std::string& dir) const {
    return NormalizePath(imp, dir, home_);
  }

  const Env& env_;
  const MemoryOptions& options_;
  std::string home_;
  std::set<std::string> seen_;
  MemoryLoad load_;
};

}  // namespace

std::vector<std::string> FindImports(const std::string& content) {
  std::vector<std::string> out;
  char fence_char = 0;
  size_t fence_len = 0;
  for (const std::string& raw : Split(content, '\n')) {
    std::string_view line = raw;
    auto [c, n] = FenceMarker(line);
    if (fence_char) {
      if (c == fence_char && n >= fence_len && Trim(line.substr(line.find(c) + n)).empty()) {
        fence_char = 0;
      }
      continue;
    }
    if (c) {
      fence_char = c;
      fence_len = n;
      continue;
    }
    ImportsOnLine(line, &out);
  }
  return out;
}

std::string FindRepositoryRoot(const Env& env, const std::string& dir) {
  std::string d = NormalizePath(dir, "/", env.HomeDir());
  while (true) {
    if (env.Stat(JoinPath(d, ".git")).exists) return d;
    if (d == "/") return "";
    d = DirName(d);
  }
}

MemoryLoad LoadMemory(const Env& env, const MemoryOptions& options) {
  std::string home = options.home.empty() ? env.HomeDir() : options.home;
  std::string cwd = NormalizePath(options.cwd.empty() ? env.CurrentDir() : options.cwd, "/", home);
  Loader loader(env, options, home);
  if (!options.managed_path.empty()) loader.Visit(options.managed_path, "managed", "", 0);
  loader.Visit(NormalizePath("~/.claude/CLAUDE.md", "/", home), "user", "", 0);

  std::string root = FindRepositoryRoot(env, cwd);
  if (root.empty()) root = cwd;
  std::vector<std::string> dirs;
  for (std::string d = cwd;; d = DirName(d)) {
    dirs.insert(dirs.begin(), d);
    if (d == root || d == "/") break;
  }
  for (const std::string& d : dirs) {
    loader.Visit(JoinPath(d, "CLAUDE.md"), "project", "", 0);
    loader.Visit(JoinPath(d, ".claude/CLAUDE.md"), "project", "", 0);
    loader.Visit(JoinPath(d, "CLAUDE.local.md"), "local", "", 0);
  }
  return loader.Take();
}

std::string BuildMemoryPrompt(const std::vector<MemoryFile>& files) {
  std::string body;
  for (const MemoryFile& f : files) {
    if (Trim(f.content).empty()) continue;
    body += "\n\nContents of " + f.path + " (" + TypeDescription(f.type) + "):\n\n";
    body += std::string(Trim(f.content));
  }
  if (body.empty()) return "";
  return "The user and the codebase give the instructions below. Follow them: they take "
         "precedence over your default behaviour, and you must follow them exactly as written." +
         body + "\n";
}

}  // namespace brock
