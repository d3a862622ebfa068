#include "base/regular_file.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "base/error_codes.h"

namespace brock {

namespace {

Error OpenError(const std::string& path, int err) {
  Error e = MakeError("io.error", "cannot read " + path + ": " + std::strerror(err),
                      "check that the path exists and that you may access it");
  if (err == ENOENT) e.code = errc::kIoNotFound;
  return e;
}

}  // namespace

const char* FileKindName(unsigned mode) {
  if (S_ISREG(mode)) return "a regular file";
  if (S_ISDIR(mode)) return "a directory";
  if (S_ISFIFO(mode)) return "a FIFO (named pipe)";
  if (S_ISCHR(mode)) return "a character device";
  if (S_ISBLK(mode)) return "a block device";
  if (S_ISSOCK(mode)) return "a socket";
  return "a special file";
}

Result<int> OpenRegularFile(const std::string& path) {
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) return OpenError(path, errno);
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    int err = errno;
    ::close(fd);
    return OpenError(path, err);
  }
  if (S_ISDIR(st.st_mode)) {
    ::close(fd);
    return OpenError(path, EISDIR);
  }
  if (!S_ISREG(st.st_mode)) {
    ::close(fd);
    return MakeError(
        errc::kIoNotRegular,
        "cannot read " + path + ": it is " + FileKindName(st.st_mode) + ", not a regular file",
        "brock reads only regular files; point it at a regular file (a pipe or "
        "device could block or never end)");
  }
  int flags = ::fcntl(fd, F_GETFL);
  if (flags >= 0) ::fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
  return fd;
}

Result<std::string> ReadRegularFile(const std::string& path, size_t max_bytes) {
  Result<int> opened = OpenRegularFile(path);
  if (!opened.ok()) return std::move(opened).error();
  int fd = *opened;
  std::string out;
  char buf[65536];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      int err = errno;
      ::close(fd);
      return OpenError(path, err);
    }
    if (n == 0) break;
    if (out.size() + static_cast<size_t>(n) > max_bytes) {
      ::close(fd);
      return MakeError(
          "io.too_large",
          "cannot read " + path + ": it holds more than " + std::to_string(max_bytes) + " bytes",
          "check that " + path + " is the file you meant");
    }
    out.append(buf, static_cast<size_t>(n));
  }
  ::close(fd);
  return out;
}

}  // namespace brock
