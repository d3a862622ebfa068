#!/usr/bin/env bash
# Installs the Debian 12 packages brock needs. Idempotent and quiet when everything is present.
#
#   scripts/deps.sh build    build deps only: what `make build` and `make demo` need
#   scripts/deps.sh test     also the test tools and the oracles' peers (`make test`)
#   scripts/deps.sh bench    also the benchmark tools (`make bench`)
#   scripts/deps.sh format   clang-format only (`make format`, `make format-check`)
#   scripts/deps.sh          everything: build, test and bench
#
# Required packages must install. Optional ones (test oracles, benchmark tools) are looked up
# first with apt-cache: the ones this distribution has are installed, the ones it lacks are named
# on one line with the oracle that will skip, and never fail the install.
# As root it runs apt-get; otherwise it uses sudo only when `sudo -n true` works without a
# password, and else prints the apt-get line to run and exits 1.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"

# Build (and demo): compiler, build tools, libraries.
build_packages=(
  g++ cmake ninja-build make pkg-config
  libssl-dev zlib1g-dev libcurl4-openssl-dev nlohmann-json3-dev libcli11-dev
  libre2-dev libpugixml-dev
)
# Tests: GoogleTest (required); clang-format for format-check.
test_packages=(libgtest-dev libgmock-dev clang-format)
# Optional peers of the test suite: a missing one makes the tests that use it skip.
#   ripgrep           Grep tool / file walker oracles (src/agent/*_test.cc)
#   iproute2 util-linux  `ip` and `unshare -n`: oracles run in a private network namespace
#   python3 python3-boto3 python3-botocore   tests/oracle/boto3_*, src/aws/sigv4_botocore_test.cc
#   python3-moto      tests/oracle/moto_sts_test.sh, botocore_profiles_test.sh (not in Debian 12)
#   nodejs npm        tests/oracle/js_sdk_emulator_test.sh (the SDK itself comes from npm)
#   bubblewrap        sandboxed Bash (`bwrap`): tests/e2e/sandbox_test.cc skips without it
test_optional=(ripgrep iproute2 util-linux python3 python3-boto3 python3-botocore python3-moto nodejs npm bubblewrap)
# Benchmarks: Google Benchmark (required for bench/*_bench.cc), and the tools bench/*.sh use.
bench_packages=(libbenchmark-dev)
bench_optional=(hyperfine time curl python3 ripgrep)

want_test=0 want_bench=0 want_build=1
(($#)) || set -- build test bench
for arg in "$@"; do
  case "$arg" in
    build) ;;
    test) want_test=1 ;;
    bench) want_bench=1 ;;
    format) want_build=0 ;;
    *) echo "deps: unknown argument '$arg' (build, test, bench or format)" >&2; exit 2 ;;
  esac
done

required=() optional=()
if ((want_build)); then
  required+=("${build_packages[@]}")
  # ccache speeds rebuilds up; the build works without it. bubblewrap runs sandboxed Bash
  # (`sandbox.enabled`); without it brock says so and asks before every command instead.
  optional+=(ccache bubblewrap)
else
  required+=(clang-format)
fi
((want_test)) && required+=("${test_packages[@]}") && optional+=("${test_optional[@]}")
((want_bench)) && required+=("${bench_packages[@]}") && optional+=("${bench_optional[@]}")

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }
# True when apt knows an installable version of the package.
available() {
  local candidate
  candidate=$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2; exit}')
  [ -n "$candidate" ] && [ "$candidate" != "(none)" ]
}
# A tool already on PATH (python3 or node from another install) counts as present.
present() {
  case "$1" in
    python3) [ -x /usr/bin/python3 ] && return 0 ;;
    nodejs) command -v node >/dev/null 2>&1 && return 0 ;;
    npm) command -v npm >/dev/null 2>&1 && return 0 ;;
    time) [ -x /usr/bin/time ] && return 0 ;;
  esac
  installed "$1"
}

missing=()
for p in "${required[@]}"; do
  present "$p" || missing+=("$p")
done
missing_optional=()
for p in "${optional[@]}"; do
  present "$p" || [[ " ${missing_optional[*]} " == *" $p "* ]] || missing_optional+=("$p")
done

# What each optional package that the distribution lacks takes away.
skips_for() {
  case "$1" in
    python3-moto) echo "the moto oracles (tests/oracle/moto_sts_test.sh, botocore_profiles_test.sh) will skip" ;;
    python3-boto3|python3-botocore|python3) echo "the boto3/botocore oracles will skip" ;;
    nodejs|npm) echo "the AWS JS SDK oracle will skip" ;;
    ripgrep) echo "the ripgrep oracles will skip" ;;
    iproute2|util-linux) echo "the oracles run without a private network namespace" ;;
    ccache) echo "builds run without ccache" ;;
    *) echo "the parts of make bench that use it are left out" ;;
  esac
}

# How to run apt-get: as root, or with sudo when it needs no password; otherwise not at all.
SUDO="" can_apt=1
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then SUDO="sudo -n"; else can_apt=0; fi
fi
apt_updated=0
apt_update() {
  ((apt_updated)) && return 0
  $SUDO apt-get update -qq
  apt_updated=1
}
# apt-cache only knows candidates after an update: refresh the lists first when something
# required is missing or they were never downloaded (a fresh machine or container).
if ((can_apt && ${#missing[@]} + ${#missing_optional[@]})); then
  if ((${#missing[@]})) || ! compgen -G '/var/lib/apt/lists/*Packages*' >/dev/null; then apt_update; fi
fi

unavailable=() optional_install=()
for p in "${missing_optional[@]}"; do
  if available "$p"; then optional_install+=("$p"); else unavailable+=("$p"); fi
done
for p in "${unavailable[@]}"; do
  echo "deps: $p is not available from apt on this system; $(skips_for "$p")"
done

if ((!can_apt)); then
  if ((${#missing[@]} + ${#optional_install[@]})); then
    names=$(echo "${missing[*]} ${optional_install[*]}" | xargs)
    echo "deps: missing Debian packages: $names" >&2
    echo "deps: install them as root (or with sudo), then run make again:" >&2
    echo "  sudo apt-get install -y --no-install-recommends $names" >&2
  fi
  # Without the required packages the build cannot go on; optional ones only make tests skip.
  ((${#missing[@]})) && exit 1
elif ((${#missing[@]} + ${#optional_install[@]})); then
  echo "deps: installing $(echo "${missing[*]} ${optional_install[*]}" | xargs)"
  apt_update
  # Required packages first, so an optional one that fails to install cannot hold them back.
  if ((${#missing[@]})); then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
  if ((${#optional_install[@]})); then
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get -o DPkg::Lock::Timeout=300 install -y -qq --no-install-recommends "${optional_install[@]}" >/dev/null \
      || echo "deps: apt-get could not install ${optional_install[*]}; the tests that need them will skip"
  fi
fi

# The AWS JS SDK oracle (tests/oracle/package.json), from the npm registry.
if ((want_test)) && [ -f "$here/tests/oracle/package.json" ] \
  && [ ! -d "$here/tests/oracle/node_modules/@aws-sdk/client-bedrock-runtime" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "deps: installing the AWS JS SDK for the oracle tests"
    (cd "$here/tests/oracle" && { [ -f package-lock.json ] && npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error; }) >/dev/null 2>&1 \
      || echo "deps: npm install failed; the JS SDK oracle will skip"
  fi
fi

# moto has no Debian 12 package and PyPI may be out of reach: say once that its oracles skip.
if ((want_test)) && ! /usr/bin/python3 -c 'import moto' >/dev/null 2>&1 \
  && [[ " ${unavailable[*]} " != *" python3-moto "* ]]; then
  echo "deps: python3 has no moto module; the moto oracles (tests/oracle/moto_sts_test.sh, botocore_profiles_test.sh) will skip"
fi
exit 0
