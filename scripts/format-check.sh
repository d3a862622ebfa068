#!/usr/bin/env bash
# Checks that brock's C++ sources (src/, tests/, bench/; *.cc and *.h) follow .clang-format.
# Prints each file that needs formatting and exits 1 if any does; `make format` rewrites them.
#   scripts/format-check.sh [FILE...]     default: every tracked *.cc/*.h under src tests bench
set -euo pipefail
cd "$(dirname "$0")/.."
clang_format=${CLANG_FORMAT:-}
if [ -z "$clang_format" ]; then
  for c in clang-format clang-format-14; do
    command -v "$c" >/dev/null 2>&1 && { clang_format=$c; break; }
  done
fi
[ -n "$clang_format" ] || { echo "format-check: clang-format is not installed (apt-get install clang-format)" >&2; exit 2; }
if (($#)); then
  files=("$@")
else
  mapfile -t files < <(git ls-files 'src/*.cc' 'src/*.h' 'tests/*.cc' 'tests/*.h' 'bench/*.cc' 'bench/*.h' 2>/dev/null \
    || find src tests bench -name '*.cc' -o -name '*.h')
fi
bad=()
for f in "${files[@]}"; do
  "$clang_format" --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if ((${#bad[@]})); then
  echo "format-check: ${#bad[@]} of ${#files[@]} files need formatting (make format rewrites them):"
  printf '  %s\n' "${bad[@]}"
  exit 1
fi
echo "format-check: all ${#files[@]} files follow .clang-format"
