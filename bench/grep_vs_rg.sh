#!/usr/bin/env bash
# Compares the Grep tool with ripgrep on a generated tree (5,000 files, ~100 MB, deterministic).
#
#   bench/grep_vs_rg.sh [build-dir]     (default build dir: build-bench, configured with
#                                         -DCMAKE_BUILD_TYPE=Release -DBROCK_BENCH=ON)
# Prints, per case, ripgrep's mean time (hyperfine, or plain timing when hyperfine is missing)
# and the Grep tool's (Google Benchmark, bench/grep_bench.cc), and their ratio.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${1:-$here/build-bench}"
bench_bin="${BROCK_BENCH_BIN:-$build/brock_bench}"
tree="${BROCK_GREP_BENCH_TREE:-/tmp/brock-grep-bench-tree}"

if ! command -v rg >/dev/null; then echo "rg is not installed; nothing to compare with" >&2; exit 77; fi

if [ ! -f "$tree/.complete" ]; then
  echo "generating $tree ..."
  rm -rf "$tree"
  python3 - "$tree" <<'PY'
import os, random, sys
root = sys.argv[1]
rng = random.Random(20240601)
words = ("the of and to in is for on with as by at from this that error value return "
         "function struct const static void int char buffer index count result status "
         "parse config option request response client server handle file path line text "
         "todo fixme note warning debug trace info").split()
os.makedirs(os.path.join(root, ".git"), exist_ok=True)
with open(os.path.join(root, ".gitignore"), "w") as f:
    f.write("*.o\nbuild/\n")
for i in range(5000):
    d = os.path.join(root, "dir%02d" % (i % 50), "sub%d" % (i % 7))
    os.makedirs(d, exist_ok=True)
    ext = [".c", ".rs", ".py", ".js", ".txt"][i % 5]
    lines = []
    size = 0
    target = 20000
    while size < target:
        n = rng.randint(3, 14)
        line = " ".join(rng.choice(words) for _ in range(n))
        r = rng.random()
        if r < 0.002:
            line = "fn parse_%s(x)" % rng.choice(["alpha", "beta", "gamma"])
        elif r < 0.0025:
            line += " TODO: check"
        lines.append(line)
        size += len(line) + 1
    if i % 997 == 0:
        lines.insert(len(lines) // 2, "a rare zyxneedle here")
    with open(os.path.join(d, "file%05d%s" % (i, ext)), "w") as f:
        f.write("\n".join(lines) + "\n")
open(os.path.join(root, ".complete"), "w").close()
PY
fi
echo "tree: $(find "$tree" -type f | wc -l) files, $(du -sh --exclude=.git "$tree" | cut -f1)"

if [ ! -x "$bench_bin" ]; then
  cmake -S "$here" -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=Release -DBROCK_BENCH=ON >/dev/null
  cmake --build "$build" -j1 --target brock_bench
fi

common=(--no-config --hidden --glob '!.git' --glob '!.svn' --glob '!.hg' --glob '!.bzr' --max-columns 500)
cases=(
  "BM_GrepLiteralFiles|-l zyxneedle"
  "BM_GrepRegexFiles|-l fn\\s+parse_[a-z]+\\("
  "BM_GrepCommonContent|-n error"
  "BM_GrepCaseInsensitiveCount|-c -i todo"
)
# Warm the page cache.
rg "${common[@]}" -c zzzz "$tree" >/dev/null || true

ours_json="$(mktemp)"
BROCK_GREP_BENCH_TREE="$tree" "$bench_bin" --benchmark_filter='BM_Grep' \
  --benchmark_format=json >"$ours_json" 2>/dev/null

printf '%-30s %12s %12s %8s\n' case rg_ms grep_tool_ms ratio
for c in "${cases[@]}"; do
  name="${c%%|*}"
  read -r -a flags <<<"${c#*|}"
  if command -v hyperfine >/dev/null; then
    hf_json="$(mktemp)"
    (cd "$tree" && hyperfine -N -i --warmup 2 --min-runs 10 --export-json "$hf_json" \
      "$(printf '%q ' rg "${common[@]}" "${flags[@]}")" >/dev/null 2>&1) || true
    rg_ms="$(python3 -c 'import json,sys; print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["mean"]*1000))' "$hf_json")"
    rm -f "$hf_json"
  else
    start=$(date +%s%N)
    for _ in 1 2 3 4 5; do (cd "$tree" && rg "${common[@]}" "${flags[@]}" >/dev/null || true); done
    rg_ms=$(( ($(date +%s%N) - start) / 5000000 ))
  fi
  ours_ms="$(python3 -c '
import json,sys
for b in json.load(open(sys.argv[1]))["benchmarks"]:
    if b["name"].split("/")[0] == sys.argv[2] and b.get("run_type", "iteration") == "iteration":
        print("%.1f" % b["real_time"]); break' "$ours_json" "$name")"
  ratio="$(python3 -c 'import sys; print("%.2f" % (float(sys.argv[2]) / float(sys.argv[1])))' "$rg_ms" "$ours_ms")"
  printf '%-30s %12s %12s %8s\n' "$name" "$rg_ms" "$ours_ms" "${ratio}x"
done
rm -f "$ours_json"
