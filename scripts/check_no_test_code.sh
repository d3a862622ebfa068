#!/usr/bin/env bash
# Fails when test code has leaked into the product.
#
#   check_no_test_code.sh <source dir> <product library or executable>...
#
# 1. Every file in src/testing/ (the brock_testing library) declares its symbols in namespace
#    brock::testing, so its code is recognisable in a binary.
# 2. No product file (a brock_<layer> library, brock, brock-emulator) defines or references a
#    symbol of namespace testing:: (brock::testing, GoogleTest's ::testing) or of gtest / gmock.
# 3. No product source file (src/<layer>/*.{h,cc} other than *_test.cc / *_perftest.cc)
#    includes a "testing/..." header.
# Run by CTest as build.no_test_code (labels unit, build).
set -u
if [ $# -lt 2 ]; then
  echo "usage: $0 <source dir> <product library or executable>..." >&2
  exit 2
fi
src=$1
shift
failed=0

for f in "$src"/src/testing/*.h "$src"/src/testing/*.cc; do
  [ -e "$f" ] || continue
  if ! grep -q '^namespace brock::testing {' "$f"; then
    echo "FAIL: $f does not declare its symbols in namespace brock::testing"
    failed=1
  fi
done

for bin in "$@"; do
  if [ ! -e "$bin" ]; then
    echo "FAIL: $bin is missing (build every target first)"
    failed=1
    continue
  fi
  leaked=$(nm -C "$bin" 2>/dev/null | grep -E 'testing::|gtest|gmock' | sort -u)
  if [ -n "$leaked" ]; then
    echo "FAIL: $(basename "$bin") contains test code:"
    echo "$leaked" | head -20 | sed 's/^/    /'
    failed=1
  fi
done

includes=$(grep -lE '^\s*#\s*include\s+"testing/' "$src"/src/*/*.h "$src"/src/*/*.cc 2>/dev/null |
           grep -v '^'"$src"'/src/testing/' | grep -vE '_(test|perftest)\.cc$')
if [ -n "$includes" ]; then
  echo "FAIL: product sources include test helpers (src/testing/):"
  echo "$includes" | sed 's/^/    /'
  failed=1
fi

if [ "$failed" = 0 ]; then echo "no test code in $# product files"; fi
exit "$failed"
