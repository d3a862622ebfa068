#!/usr/bin/env bash
# Installs the Debian 12 packages that brock's build, tests, benchmarks and oracles need.
# Idempotent and quiet when everything is present. Run as root (or with sudo available).
set -euo pipefail

packages=(
  g++ cmake ninja-build make pkg-config ccache
  libssl-dev zlib1g-dev libcurl4-openssl-dev nlohmann-json3-dev libfmt-dev libcli11-dev
  libre2-dev libpugixml-dev libgtest-dev libgmock-dev libbenchmark-dev
  ripgrep hyperfine time iproute2 util-linux python3 nodejs npm
)

missing=()
for p in "${packages[@]}"; do
  # A tool that is already on PATH (e.g. python3, node from another install) counts as present.
  case "$p" in
    python3) command -v python3 >/dev/null 2>&1 && continue ;;
    nodejs) command -v node >/dev/null 2>&1 && continue ;;
    npm) command -v npm >/dev/null 2>&1 && continue ;;
  esac
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done

# The Python oracles use boto3/botocore/moto; install Debian's when python3 lacks them.
if command -v python3 >/dev/null 2>&1 && ! python3 -c 'import boto3, botocore' >/dev/null 2>&1; then
  for p in python3-boto3 python3-botocore python3-moto; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
fi

if ((${#missing[@]})); then
  echo "deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

# The AWS JS SDK oracle (tests/oracle/package.json), from the npm registry.
here="$(cd "$(dirname "$0")/.." && pwd)"
if [ -f "$here/tests/oracle/package.json" ] && [ ! -d "$here/tests/oracle/node_modules/@aws-sdk/client-bedrock-runtime" ]; then
  if command -v npm >/dev/null 2>&1; then
    echo "deps: installing the AWS JS SDK for the oracle tests"
    (cd "$here/tests/oracle" && { [ -f package-lock.json ] && npm ci --no-audit --no-fund --loglevel=error || npm install --no-audit --no-fund --loglevel=error; }) >/dev/null 2>&1 \
      || echo "deps: npm install failed; the JS SDK oracle tests will skip"
  fi
fi
exit 0
