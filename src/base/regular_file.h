// Opening files that come from outside brock (settings, AWS files, the SSO cache, files the
// model asks the Read and Grep tools for) so that only regular files are read.
//
// A path may name, directly or through a symlink, a FIFO (open would block until a writer
// comes, and a read until it writes), a device (/dev/zero never ends, /dev/tty waits for the
// user) or a socket. OpenRegularFile opens with O_NONBLOCK, so opening a FIFO returns at once,
// and then checks the opened descriptor with fstat, so a name swapped between a check and the
// open cannot slip a device in. Anything but a regular file (or a directory, which the callers
// report themselves) is refused with "io.not_regular".
#pragma once

#include <cstdint>
#include <string>

#include "base/error.h"

namespace brock {

// A descriptor open for reading on the regular file at `path` (blocking mode restored); the
// caller closes it. Errors: "io.not_found" (ENOENT), "io.error" (other open failures and
// directories, with strerror's text), "io.not_regular" (FIFO, device, socket).
Result<int> OpenRegularFile(const std::string& path);

// The whole content of the regular file at `path`; errors as OpenRegularFile, plus
// "io.too_large" when it holds more than `max_bytes`.
Result<std::string> ReadRegularFile(const std::string& path, size_t max_bytes = SIZE_MAX);

// "a FIFO (named pipe)", "a character device", "a block device", "a socket", "a directory",
// "a regular file", or "a special file", for the st_mode of a file.
const char* FileKindName(unsigned mode);

}  // namespace brock
