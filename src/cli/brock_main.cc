#include <cstdio>
#include <cstring>

int main(int argc, char** argv) {
  if (argc > 1 && std::strcmp(argv[1], "--version") == 0) {
    std::puts("0.1.0 (brock)");
    return 0;
  }
  std::fputs("brock: not built yet\n", stderr);
  return 1;
}
