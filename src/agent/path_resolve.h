// How the file system spells a path, for the permission engine: the path with its symbolic links
// resolved (so a rule on `~/.ssh/**` also stops `./project/key -> ~/.ssh/id_rsa`), and whether
// the file system holding it folds case (so `Read(.env)` also stops `.ENV` there). The real
// implementation asks the kernel; tests may pass their own through PermissionEngine.
#pragma once

#include <string>
#include <string_view>

namespace brock {

// `abs_path` (absolute, normalized) with every symbolic link resolved: the longest existing
// prefix goes through realpath(3) and the missing rest is appended. Unchanged when nothing
// resolves (or the path is not absolute).
std::string ResolveSymlinks(const std::string& abs_path);

// True when the file system at `abs_path` (its nearest existing ancestor with a letter in its
// name) finds a name whatever its case: the same file answers under the name with its letters'
// case swapped. False on ordinary Linux file systems.
bool FileSystemFoldsCase(const std::string& abs_path);

}  // namespace brock
