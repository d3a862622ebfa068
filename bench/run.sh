#!/usr/bin/env bash
# make bench: the numbers behind BENCHMARKS.md.
#  1. brock --version: bench/startup.sh (wall time beside /bin/true, RSS, loader statistics).
#  2. brock -p "Garden State" against the local emulator: wall time and peak RSS, beside the
#     emulator's own time for the identical request sent by curl --aws-sigv4; the difference is
#     what brock adds (settings, config, credentials, signing, decoding, printing).
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

echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')"
echo

echo "== brock --version (bench/startup.sh)"
BUILD="$BUILD" RUNS=$((RUNS * 10)) bash bench/startup.sh
echo

echo "== brock -p (Garden State) against the emulator"
key_id=AKIDBENCHEXAMPLE0001
secret=benchSecretKeyForTheOfflineEmulator00001
mkdir -p "$work/home/.claude" "$work/home/.aws"
printf '{"env":{"CLAUDE_CODE_USE_BEDROCK":"1","AWS_REGION":"us-east-1","AWS_PROFILE":"ui-dev"}}\n' > "$work/home/.claude/settings.json"
printf '[ui-dev]\naws_access_key_id = %s\naws_secret_access_key = %s\n' "$key_id" "$secret" > "$work/home/.aws/credentials"
"$BUILD/brock-emulator" --port 0 --port-file "$work/port" --access-key "$key_id:$secret" \
  --request-log "$work/requests.jsonl" --quiet &
emulator_pid=$!
for _ in $(seq 200); do [ -s "$work/port" ] && break; sleep 0.02; done
port=$(cat "$work/port")
brock_cmd="env -i HOME=$work/home PATH=/usr/bin:/bin ANTHROPIC_BEDROCK_BASE_URL=http://127.0.0.1:$port $BUILD/brock -p 'Which state is the Garden State? Answer in one sentence.'"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/print.json" "$brock_cmd" >/dev/null 2>&1 || true
python3 - "$work/print.json" <<'PY' 2>/dev/null || echo "hyperfine not available"
import json,sys; r=json.load(open(sys.argv[1]))["results"][0]; print(f"brock wall median {r['median']*1000:.2f} ms (mean {r['mean']*1000:.2f} ms, {len(r['times'])} runs)")
PY
for _ in $(seq 5); do
  /usr/bin/time -f '%M' env -i HOME="$work/home" PATH=/usr/bin:/bin ANTHROPIC_BEDROCK_BASE_URL="http://127.0.0.1:$port" \
    "$BUILD/brock" -p "Which state is the Garden State? Answer in one sentence." 2>&1 >/dev/null | tail -1
done | median | awk '{printf "brock peak RSS median %.1f MB\n", $1/1024}'
# The emulator's own time for the identical request: the same body, signed by curl (--aws-sigv4).
python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["body"], end="")' "$work/requests.jsonl" > "$work/body.json"
model_path=$(python3 -c 'import json,sys; print(json.loads(open(sys.argv[1]).readline())["path"])' "$work/requests.jsonl")
curl_cmd="curl -s -o /dev/null --aws-sigv4 aws:amz:us-east-1:bedrock --user $key_id:$secret -H 'Content-Type: application/json' -H 'Accept: application/vnd.amazon.eventstream' --data-binary @$work/body.json http://127.0.0.1:$port$model_path"
hyperfine -N --warmup 3 --runs "$RUNS" --export-json "$work/curl.json" "$curl_cmd" >/dev/null 2>&1 || true
python3 - "$work/print.json" "$work/curl.json" <<'PY' 2>/dev/null || echo "curl comparison not available"
import json,sys
b=json.load(open(sys.argv[1]))["results"][0]["median"]*1000
c=json.load(open(sys.argv[2]))["results"][0]["median"]*1000
print(f"curl (same signed request, the emulator's own time plus curl's start-up) median {c:.2f} ms")
print(f"brock's added time: {b-c:.2f} ms")
PY
echo

if [ -x "$BUILD/brock_bench" ]; then
  echo "== micro-benchmarks"
  "$BUILD/brock_bench" --benchmark_repetitions=5 --benchmark_report_aggregates_only=true 2>/dev/null | grep -E "median|Benchmark|^-" || true
fi
