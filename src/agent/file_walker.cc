#include "agent/file_walker.h"

#include <dirent.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <memory>

#include "agent/gitignore.h"
#include "base/error_codes.h"
#include "base/regular_file.h"

namespace brock {

namespace {

// Reads a small ignore file; empty when missing, unreadable, not a regular file (a FIFO must not
// block the walk) or absurdly large.
std::string ReadSmallFile(const std::string& path) {
  Result<std::string> text = ReadRegularFile(path, size_t{8} << 20);
  return text.ok() ? std::move(text).value() : std::string();
}

std::string Join(const std::string& dir, std::string_view name) {
  std::string out = dir;
  if (out.empty() || out.back() != '/') out.push_back('/');
  out.append(name);
  return out;
}

struct Level {
  std::string dir;  // absolute, no trailing '/' (except "/")
  IgnoreRules dot;
  IgnoreRules git;
  IgnoreRules exclude;
  bool in_repo = false;
};

struct Entry {
  std::string name;
  bool is_dir = false;
};

class Walker {
 public:
  Walker(const WalkOptions& options) : options_(options) {}

  Status Init() {
    for (const std::string& g : options_.type_globs) {
      auto glob = GlobPattern::Compile(g);
      if (!glob.ok()) return glob.error();
      types_.push_back(std::move(glob.value()));
    }
    std::string text;
    for (const std::string& g : options_.globs) {
      if (g.empty()) continue;
      // Validate each glob so a typo is reported instead of silently ignored.
      std::string_view body = g;
      if (body[0] == '!') body.remove_prefix(1);
      auto glob = GlobPattern::Compile(body);
      if (!glob.ok()) return glob.error();
      if (g[0] == '#') text.push_back('\\');
      text += g;
      text.push_back('\n');
    }
    overrides_ = IgnoreRules::Parse(text, options_.globs_case_insensitive);
    return {};
  }

  // Loads the ignore files of `dir`; `names` are its entries (for presence checks) or null to
  // probe the file system.
  Level LoadLevel(const std::string& dir, const std::vector<Entry>* names, bool parent_in_repo) {
    Level level;
    level.dir = dir;
    auto has = [&](std::string_view name) {
      if (names == nullptr) {
        struct stat st;
        return ::lstat(Join(dir, name).c_str(), &st) == 0;
      }
      for (const Entry& e : *names) {
        if (e.name == name) return true;
      }
      return false;
    };
    bool has_git = has(".git");
    level.in_repo = parent_in_repo || has_git || !options_.require_git;
    if (options_.dot_ignore) {
      if (has(".ignore")) level.dot = IgnoreRules::Parse(ReadSmallFile(Join(dir, ".ignore")));
      if (has(".rgignore")) {
        level.dot.Append(IgnoreRules::Parse(ReadSmallFile(Join(dir, ".rgignore"))));
      }
    }
    if (options_.git_ignore) {
      if (has(".gitignore")) level.git = IgnoreRules::Parse(ReadSmallFile(Join(dir, ".gitignore")));
      if (has_git) {
        level.exclude = IgnoreRules::Parse(ReadSmallFile(Join(dir, ".git/info/exclude")));
      }
    }
    return level;
  }

  // Whether `name` in the deepest level's directory is to be walked / returned.
  bool Accept(const std::string& abs, std::string_view rel, std::string_view name, bool is_dir) {
    if (is_dir) {
      for (const std::string& skip : options_.skip_dir_names) {
        if (name == skip) return false;
      }
    }
    if (!overrides_.empty()) {
      IgnoreMatch m = overrides_.Match(rel, is_dir);
      if (m == IgnoreMatch::kIgnore) return true;      // a glob matched: included
      if (m == IgnoreMatch::kWhitelist) return false;  // a '!glob' matched: excluded
      if (!is_dir && overrides_.has_ignore_rule()) return false;
    }
    bool whitelisted = false;
    IgnoreMatch m = MatchIgnoreFiles(abs, is_dir);
    if (m == IgnoreMatch::kIgnore) return false;
    if (m == IgnoreMatch::kWhitelist) whitelisted = true;
    if (!is_dir && !types_.empty()) {
      bool any = false;
      for (const GlobPattern& t : types_) {
        if (t.Matches(name)) {
          any = true;
          break;
        }
      }
      if (!any) return false;
      whitelisted = true;
    }
    if (!whitelisted && !options_.hidden && !name.empty() && name[0] == '.') return false;
    return true;
  }

  IgnoreMatch MatchIgnoreFiles(const std::string& abs, bool is_dir) const {
    for (int kind = 0; kind < 3; ++kind) {
      for (size_t i = levels_.size(); i-- > 0;) {
        const Level& level = levels_[i];
        const IgnoreRules& rules = kind == 0 ? level.dot : kind == 1 ? level.git : level.exclude;
        if (rules.empty() || (kind > 0 && !level.in_repo)) continue;
        size_t skip = level.dir == "/" ? 1 : level.dir.size() + 1;
        if (abs.size() <= skip) continue;
        IgnoreMatch m = rules.Match(std::string_view(abs).substr(skip), is_dir);
        if (m != IgnoreMatch::kNone) return m;
      }
    }
    return IgnoreMatch::kNone;
  }

  static bool ListDir(const std::string& dir, std::vector<Entry>* out) {
    DIR* d = ::opendir(dir.c_str());
    if (d == nullptr) return false;
    while (struct dirent* de = ::readdir(d)) {
      const char* n = de->d_name;
      if (n[0] == '.' && (n[1] == 0 || (n[1] == '.' && n[2] == 0))) continue;
      Entry e;
      e.name = n;
      unsigned char type = de->d_type;
      if (type == DT_UNKNOWN) {
        struct stat st;
        if (::fstatat(dirfd(d), n, &st, AT_SYMLINK_NOFOLLOW) != 0) continue;
        if (S_ISDIR(st.st_mode))
          type = DT_DIR;
        else if (S_ISREG(st.st_mode))
          type = DT_REG;
        else
          continue;
      }
      if (type == DT_DIR)
        e.is_dir = true;
      else if (type != DT_REG)
        continue;  // symlinks, sockets, devices: not walked
      out->push_back(std::move(e));
    }
    ::closedir(d);
    std::sort(out->begin(), out->end(),
              [](const Entry& a, const Entry& b) { return a.name < b.name; });
    return true;
  }

  void Walk(const std::string& dir, const std::string& rel, std::vector<WalkedFile>* out) {
    if (options_.cancel != nullptr && options_.cancel->load(std::memory_order_relaxed)) return;
    std::vector<Entry> entries;
    if (!ListDir(dir, &entries)) return;
    bool parent_in_repo = !levels_.empty() && levels_.back().in_repo;
    levels_.push_back(LoadLevel(dir, &entries, parent_in_repo));
    for (const Entry& e : entries) {
      std::string abs = Join(dir, e.name);
      std::string child_rel = rel.empty() ? e.name : rel + "/" + e.name;
      if (!Accept(abs, child_rel, e.name, e.is_dir)) continue;
      if (e.is_dir) {
        Walk(abs, child_rel, out);
      } else {
        out->push_back(WalkedFile{std::move(abs), std::move(child_rel)});
      }
    }
    levels_.pop_back();
  }

  Result<std::vector<WalkedFile>> Run(const std::string& root_in) {
    std::string root = root_in;
    while (root.size() > 1 && root.back() == '/') root.pop_back();
    struct stat st;
    if (::stat(root.c_str(), &st) != 0) {
      return MakeError(errc::kPathNotFound, "path does not exist: " + root,
                       "check the path, or leave it out to search the working directory");
    }
    if (!S_ISDIR(st.st_mode) && !S_ISREG(st.st_mode)) {
      return MakeError(errc::kIoNotRegular,
                       "cannot search " + root + ": it is " + FileKindName(st.st_mode) +
                           ", not a regular file or directory",
                       "search a regular file or a directory");
    }
    std::vector<WalkedFile> out;
    if (!S_ISDIR(st.st_mode)) {
      size_t slash = root.rfind('/');
      out.push_back(WalkedFile{root, slash == std::string::npos ? root : root.substr(slash + 1)});
      return out;
    }
    if (options_.parents && root != "/") {
      // Ancestors from the nearest up to the repository root (or "/"), then outermost first.
      std::vector<std::string> ancestors;
      std::string dir = root;
      while (dir != "/") {
        size_t slash = dir.rfind('/');
        dir = slash == 0 ? "/" : dir.substr(0, slash);
        ancestors.push_back(dir);
        struct stat gst;
        if (::lstat(Join(dir, ".git").c_str(), &gst) == 0) break;
      }
      for (size_t i = ancestors.size(); i-- > 0;) {
        bool parent_in_repo = !levels_.empty() && levels_.back().in_repo;
        levels_.push_back(LoadLevel(ancestors[i], nullptr, parent_in_repo));
      }
    }
    // Descend to start_subdir one component at a time, applying the rules to each.
    std::string dir = root;
    std::string rel;
    size_t base_levels = levels_.size();
    if (!options_.start_subdir.empty()) {
      size_t pos = 0;
      const std::string& sub = options_.start_subdir;
      while (pos < sub.size()) {
        size_t slash = sub.find('/', pos);
        if (slash == std::string::npos) slash = sub.size();
        std::string name = sub.substr(pos, slash - pos);
        pos = slash + 1;
        if (name.empty() || name == ".") continue;
        std::string next = Join(dir, name);
        struct stat sst;
        if (::lstat(next.c_str(), &sst) != 0 || !S_ISDIR(sst.st_mode)) {
          levels_.resize(base_levels);
          return out;
        }
        bool parent_in_repo = !levels_.empty() && levels_.back().in_repo;
        levels_.push_back(LoadLevel(dir, nullptr, parent_in_repo));
        std::string next_rel = rel.empty() ? name : rel + "/" + name;
        if (!Accept(next, next_rel, name, true)) {
          levels_.resize(base_levels);
          return out;
        }
        dir = next;
        rel = next_rel;
      }
    }
    Walk(dir, rel, &out);
    levels_.resize(base_levels);
    return out;
  }

 private:
  const WalkOptions& options_;
  std::vector<GlobPattern> types_;
  IgnoreRules overrides_;
  std::vector<Level> levels_;
};

}  // namespace

Result<std::vector<WalkedFile>> WalkFiles(const std::string& root, const WalkOptions& options) {
  Walker walker(options);
  Status s = walker.Init();
  if (!s.ok()) return s.error();
  return walker.Run(root);
}

std::string DisplayPath(const std::string& abs, const std::string& cwd) {
  if (cwd.empty()) return abs;
  if (cwd == "/") return abs.size() > 1 && abs[0] == '/' ? abs.substr(1) : abs;
  std::string base = cwd;
  while (base.size() > 1 && base.back() == '/') base.pop_back();
  if (abs.size() > base.size() + 1 && abs.compare(0, base.size(), base) == 0 &&
      abs[base.size()] == '/') {
    return abs.substr(base.size() + 1);
  }
  return abs;
}

int64_t ModifiedNanos(const std::string& path) {
  struct stat st;
  if (::stat(path.c_str(), &st) != 0) return 0;
  return static_cast<int64_t>(st.st_mtim.tv_sec) * 1000000000 + st.st_mtim.tv_nsec;
}

}  // namespace brock
