#include "agent/path_resolve.h"

#include <sys/stat.h>

#include <cctype>
#include <cstdlib>

namespace brock {
namespace {

std::string RealPathOrEmpty(const std::string& path) {
  char* resolved = ::realpath(path.c_str(), nullptr);
  if (resolved == nullptr) return "";
  std::string out(resolved);
  std::free(resolved);
  return out;
}

}  // namespace

std::string ResolveSymlinks(const std::string& abs_path) {
  if (abs_path.empty() || abs_path[0] != '/') return abs_path;
  // Walk up until a prefix exists, resolve it, and append what is missing.
  std::string prefix = abs_path;
  std::string rest;
  for (int guard = 0; guard < 4096; ++guard) {
    std::string real = RealPathOrEmpty(prefix);
    if (!real.empty()) {
      if (rest.empty()) return real;
      return real == "/" ? "/" + rest : real + "/" + rest;
    }
    size_t slash = prefix.rfind('/');
    if (slash == std::string::npos || prefix == "/") break;
    std::string name = prefix.substr(slash + 1);
    rest = rest.empty() ? name : name + "/" + rest;
    prefix = slash == 0 ? "/" : prefix.substr(0, slash);
  }
  return abs_path;
}

bool FileSystemFoldsCase(const std::string& abs_path) {
  std::string p = abs_path;
  while (p.size() > 1) {
    size_t slash = p.rfind('/');
    if (slash == std::string::npos) return false;
    std::string name = p.substr(slash + 1);
    bool has_letter = false;
    std::string swapped = name;
    for (char& c : swapped) {
      unsigned char u = static_cast<unsigned char>(c);
      if (std::isalpha(u)) {
        has_letter = true;
        c = static_cast<char>(std::islower(u) ? std::toupper(u) : std::tolower(u));
      }
    }
    struct stat a, b;
    if (has_letter && ::lstat(p.c_str(), &a) == 0) {
      std::string other = p.substr(0, slash + 1) + swapped;
      return ::lstat(other.c_str(), &b) == 0 && a.st_dev == b.st_dev && a.st_ino == b.st_ino;
    }
    p = slash == 0 ? "/" : p.substr(0, slash);
  }
  return false;
}

}  // namespace brock
