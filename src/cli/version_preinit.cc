// `brock --version` (and `-v`) answered from the executable's .preinit_array: glibc calls the
// functions there with (argc, argv, envp) after the dynamic loader has finished and before any
// static constructor runs (the C++ runtime's locale and iostream set-up, CLI11's validators,
// OpenSSL, pugixml). The version query therefore costs only the process start and the loader;
// BENCHMARKS.md has the numbers. main() keeps the same fast path for platforms that never call
// .preinit_array. Only write(2) and _exit(2) are used: nothing else is initialised yet.
#include <unistd.h>

#include <cerrno>
#include <cstring>

#include "cli/version.h"

namespace {

// Writes all of `text` to stdout, retrying short writes and EINTR; stops silently on any other
// error, as printf would (the exit status stays 0).
void WriteAllToStdout(const char* text, size_t size) {
  while (size > 0) {
    ssize_t n = ::write(STDOUT_FILENO, text, size);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    text += n;
    size -= static_cast<size_t>(n);
  }
}

// Prints "<version> (brock)\n" and exits 0 when the command line is exactly `brock --version`
// or `brock -v` (main's rule); returns otherwise, leaving the process untouched.
void PrintVersionBeforeConstructors(int argc, char** argv, char** /*envp*/) {
  if (argc != 2 || argv == nullptr || argv[1] == nullptr) return;
  if (std::strcmp(argv[1], "--version") != 0 && std::strcmp(argv[1], "-v") != 0) return;
  static constexpr char kSuffix[] = " (brock)\n";
  char line[sizeof(brock::kBrockVersion) + sizeof(kSuffix)];
  std::memcpy(line, brock::kBrockVersion, sizeof(brock::kBrockVersion) - 1);
  std::memcpy(line + sizeof(brock::kBrockVersion) - 1, kSuffix, sizeof(kSuffix));
  WriteAllToStdout(line, sizeof(brock::kBrockVersion) - 1 + sizeof(kSuffix) - 1);
  ::_exit(0);
}

}  // namespace

// The linker collects .preinit_array entries of the executable; `used` keeps this one from being
// dropped as unreferenced.
__attribute__((section(".preinit_array"), used)) static void (*const kBrockVersionPreinit)(
    int, char**, char**) = PrintVersionBeforeConstructors;
