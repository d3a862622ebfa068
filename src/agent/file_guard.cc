#include "agent/file_guard.h"

#include <limits.h>
#include <stdlib.h>

#include <vector>

#include "base/strings.h"

namespace brock {

std::string NormalizeAbsolutePath(std::string_view path) {
  std::vector<std::string_view> parts;
  size_t i = 0;
  while (i <= path.size()) {
    size_t slash = path.find('/', i);
    if (slash == std::string_view::npos) slash = path.size();
    std::string_view part = path.substr(i, slash - i);
    if (part.empty() || part == ".") {
      // skip
    } else if (part == "..") {
      if (!parts.empty()) parts.pop_back();
    } else {
      parts.push_back(part);
    }
    i = slash + 1;
  }
  std::string out;
  for (std::string_view p : parts) {
    out += '/';
    out += p;
  }
  return out.empty() ? "/" : out;
}

std::string ResolveToolPath(std::string_view path, const ToolContext& ctx) {
  if (path.empty()) return "";
  std::string p = ExpandHome(ctx.env, path);
  if (p.empty() || p[0] != '/') {
    std::string base = ctx.cwd.empty() ? ctx.env.CurrentDir() : ctx.cwd;
    p = JoinPath(base, p);
  }
  return NormalizeAbsolutePath(p);
}

void RecordRead(ToolContext& ctx, const std::string& path) {
  if (ctx.reads == nullptr) return;
  FileInfo info = ctx.env.Stat(path);
  if (!info.exists) {
    ctx.reads->erase(path);
    return;
  }
  ReadRecord& r = (*ctx.reads)[path];
  r.modified = info.modified;
  r.size = info.size;
}

std::optional<std::string> CheckReadBeforeWrite(const ToolContext& ctx, const std::string& path) {
  if (ctx.reads == nullptr) return std::nullopt;
  auto it = ctx.reads->find(path);
  if (it == ctx.reads->end()) {
    return "File has not been read yet: " + path +
           ". Use the Read tool on it first, then retry this change.";
  }
  FileInfo info = ctx.env.Stat(path);
  if (info.modified != it->second.modified || info.size != it->second.size) {
    return "File has been modified since read, either by the user or by a linter: " + path +
           ". Read it again before attempting to change it.";
  }
  return std::nullopt;
}

Status WriteFileKeepingMode(Env& env, const std::string& path, std::string_view data) {
  // Write through a symlink to its target rather than replacing the link with a regular file.
  // (This looks at the real file system; for paths that do not exist there it changes nothing.)
  std::string target = path;
  if (char* real = ::realpath(path.c_str(), nullptr)) {
    target = real;
    ::free(real);
  }
  FileInfo info = env.Stat(target);
  if (info.exists && info.is_directory) {
    return MakeError("io.is_directory", target + " is a directory", "give the path of a file");
  }
  if (!info.exists) {
    if (Status s = env.MakeDirs(DirName(target), 0755); !s.ok()) return s;
  }
  uint32_t mode = info.exists ? (info.mode & 07777) : 0644;
  return env.WriteFileAtomic(target, data, mode);
}

bool LooksBinary(std::string_view data) {
  return data.substr(0, 8192).find('\0') != std::string_view::npos;
}

bool HasBinaryExtension(std::string_view path) {
  static constexpr std::string_view kExtensions[] = {
      ".exe",  ".dll", ".so",   ".dylib", ".o",    ".obj",    ".a",   ".lib", ".class", ".jar",
      ".war",  ".pyc", ".pyo",  ".wasm",  ".bin",  ".zip",    ".tar", ".gz",  ".tgz",   ".bz2",
      ".xz",   ".zst", ".7z",   ".rar",   ".iso",  ".dmg",    ".deb", ".rpm", ".pdf",   ".doc",
      ".docx", ".xls", ".xlsx", ".ppt",   ".pptx", ".bmp",    ".ico", ".tif", ".tiff",  ".psd",
      ".mp3",  ".mp4", ".m4a",  ".wav",   ".flac", ".ogg",    ".avi", ".mov", ".mkv",   ".webm",
      ".ttf",  ".otf", ".woff", ".woff2", ".eot",  ".sqlite", ".db",  ".pack"};
  std::string lower = ToLower(path);
  size_t slash = lower.rfind('/');
  size_t dot = lower.rfind('.');
  if (dot == std::string::npos || (slash != std::string::npos && dot < slash)) return false;
  std::string_view ext = std::string_view(lower).substr(dot);
  for (std::string_view e : kExtensions) {
    if (ext == e) return true;
  }
  return false;
}

bool UsesCrlf(std::string_view text) {
  size_t crlf = 0, lf = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n') continue;
    if (i > 0 && text[i - 1] == '\r') {
      ++crlf;
    } else {
      ++lf;
    }
  }
  return crlf > lf;
}

std::string LfToCrlf(std::string_view s) {
  std::string out;
  out.reserve(s.size() + s.size() / 16);
  for (size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\n' && (i == 0 || s[i - 1] != '\r')) out += '\r';
    out += s[i];
  }
  return out;
}

}  // namespace brock
