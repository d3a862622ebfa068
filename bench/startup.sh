#!/usr/bin/env bash
# Process start-up of `brock --version` (BENCHMARKS.md): wall time with hyperfine beside /bin/true
# measured in the same run, peak RSS and page faults, binary size, the shared objects the loader
# maps and its relocation statistics (LD_DEBUG=statistics), and the load average around the run.
#   bench/startup.sh [BINARY...]    default: $BUILD/brock (BUILD defaults to build)
#   RUNS=1000 bench/startup.sh build/brock /tmp/brock-old      compare builds in one run
# RUNS (default 500) runs per command in ROUNDS (default 10) interleaved rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
RUNS=${RUNS:-500}
bins=("$@")
((${#bins[@]})) || bins=("$BUILD/brock")
work=$(mktemp -d /tmp/brock-startup-XXXXXX)
trap 'rm -rf "$work"' EXIT

median() { sort -n | awk '{a[NR]=$1} END {print (NR%2) ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2}'; }
load() { cut -d' ' -f1-3 /proc/loadavg; }

for bin in "${bins[@]}"; do
  [ -x "$bin" ] || { echo "startup: $bin is not an executable; build it first" >&2; exit 1; }
  echo "-- $bin"
  echo "size $(stat -c %s "$bin" | awk '{printf "%.1f MB", $1/1e6}'); shared objects: $(ldd "$bin" | awk '$1 !~ /vdso/ {sub(/.*\//, "", $1); printf "%s ", $1}')"
  LD_DEBUG=statistics "$bin" --version 2>&1 >/dev/null | awk '
    /total startup time in dynamic loader/ {c=$(NF-1)}
    /number of relocations:/ && !/final/ {r=$NF}
    /number of relative relocations/ {rr=$NF}
    END {printf "loader: %s cycles, %s symbol relocations, %s relative relocations\n", c, r, (rr=="" ? 0 : rr)}'
  for _ in $(seq 9); do /usr/bin/time -f '%M %R' "$bin" --version 2>&1 >/dev/null | tail -1; done > "$work/rss"
  echo "peak RSS median $(cut -d' ' -f1 "$work/rss" | median | awk '{printf "%.1f MB", $1/1024}'), minor page faults median $(cut -d' ' -f2 "$work/rss" | median)"
done

if ! command -v hyperfine >/dev/null 2>&1; then echo "hyperfine not available"; exit 0; fi
cmds=()
for bin in "${bins[@]}"; do cmds+=("$bin --version"); done
cmds+=("/bin/true")
# The machine may be shared: the runs are split into ROUNDS rounds, each timing every command in
# turn, so a burst of load lands on all of them rather than on one.
rounds=${ROUNDS:-10}
echo "load average before: $(load)"
for round in $(seq "$rounds"); do
  hyperfine -N --warmup 10 --runs "$(( (RUNS + rounds - 1) / rounds ))" --export-json "$work/round$round.json" \
    "${cmds[@]}" >/dev/null 2>&1
done
echo "load average after:  $(load)"
python3 - "$work"/round*.json <<'PY'
import json, statistics, sys
times, user, system = {}, {}, {}
for path in sys.argv[1:]:
    for r in json.load(open(path))["results"]:
        times.setdefault(r["command"], []).extend(r["times"])
        user.setdefault(r["command"], []).append(r["user"])
        system.setdefault(r["command"], []).append(r["system"])
for cmd, t in times.items():
    print(f"{cmd}: mean {statistics.mean(t)*1000:.2f} ms, min {min(t)*1000:.2f} ms, "
          f"median {statistics.median(t)*1000:.2f} ms, stddev {statistics.stdev(t)*1000:.2f} ms, "
          f"user {statistics.mean(user[cmd])*1000:.2f} ms, system {statistics.mean(system[cmd])*1000:.2f} ms "
          f"({len(t)} runs)")
PY
