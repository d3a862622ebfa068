// brock-e2e-managed-ns: runs a program with a directory of the test's choosing at
// /etc/claude-code, the fixed place brock reads managed settings from (docs/security.md).
//
//   brock-e2e-managed-ns MANAGED_DIR SCRATCH_DIR PROGRAM [ARGS...]
//
// It enters a new user and mount namespace (mapping the caller's own uid and gid, so PROGRAM runs
// as the same unprivileged user, with no capabilities once it is executed), lays an overlay over
// /etc whose upper layer (in SCRATCH_DIR) adds claude-code/, bind-mounts MANAGED_DIR there and
// executes PROGRAM. Nothing outside the new namespace changes. This is how the end-to-end tests
// give the real, unmodified brock binary managed settings: the product has no variable or flag
// that moves them. Exit status 125 (with a message) when the namespace cannot be set up, for
// example where unprivileged user namespaces are disabled.
#include <fcntl.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <string>

namespace {

int Fail(const std::string& what) {
  std::fprintf(stderr, "brock-e2e-managed-ns: %s: %s\n", what.c_str(), std::strerror(errno));
  return 125;
}

bool WriteFile(const char* path, const std::string& text) {
  int fd = open(path, O_WRONLY | O_CLOEXEC);
  if (fd < 0) return false;
  bool ok = write(fd, text.data(), text.size()) == static_cast<ssize_t>(text.size());
  close(fd);
  return ok;
}

bool MakeDir(const std::string& path) { return mkdir(path.c_str(), 0755) == 0 || errno == EEXIST; }

}  // namespace

int main(int argc, char** argv) {
  if (argc < 4) {
    std::fprintf(stderr, "usage: brock-e2e-managed-ns MANAGED_DIR SCRATCH_DIR PROGRAM [ARGS...]\n");
    return 125;
  }
  std::string managed = argv[1], scratch = argv[2];
  uid_t uid = getuid();
  gid_t gid = getgid();
  if (unshare(CLONE_NEWUSER | CLONE_NEWNS) != 0) return Fail("unshare");
  if (!WriteFile("/proc/self/setgroups", "deny")) return Fail("setgroups");
  if (!WriteFile("/proc/self/uid_map", std::to_string(uid) + " " + std::to_string(uid) + " 1\n")) {
    return Fail("uid_map");
  }
  if (!WriteFile("/proc/self/gid_map", std::to_string(gid) + " " + std::to_string(gid) + " 1\n")) {
    return Fail("gid_map");
  }
  if (mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0) return Fail("make private");
  std::string upper = scratch + "/upper", work = scratch + "/work";
  if (!MakeDir(scratch) || !MakeDir(upper) || !MakeDir(work) || !MakeDir(upper + "/claude-code")) {
    return Fail("mkdir in " + scratch);
  }
  std::string opts = "lowerdir=/etc,upperdir=" + upper + ",workdir=" + work;
  if (mount("overlay", "/etc", "overlay", 0, opts.c_str()) != 0) return Fail("overlay on /etc");
  if (mount(managed.c_str(), "/etc/claude-code", nullptr, MS_BIND, nullptr) != 0) {
    return Fail("bind " + managed + " on /etc/claude-code");
  }
  execv(argv[3], argv + 3);
  return Fail(std::string("exec ") + argv[3]);
}
