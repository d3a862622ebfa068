#!/usr/bin/env bash
# Oracle: the AWS SDK for JavaScript v3 (@aws-sdk/client-bedrock-runtime: its own SigV4 signer,
# event-stream decoder and bearer auth) against brock-emulator. Installs the SDK into
# tests/oracle/node_modules from package-lock.json (npm ci) when missing. Runs inside a network
# namespace with only loopback (unshare -n) when permitted.
# Exit 0 pass, 1 fail, 77 skip (node/npm missing or the install failed).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
: "${BROCK_EMULATOR_BIN:?BROCK_EMULATOR_BIN must point at brock-emulator (CTest sets it)}"
if [ ! -x "$BROCK_EMULATOR_BIN" ]; then
  echo "FAIL: $BROCK_EMULATOR_BIN is not an executable"; exit 1
fi
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed"; exit 77
fi
if [ ! -d "$here/node_modules/@aws-sdk/client-bedrock-runtime" ] ||
   [ ! -d "$here/node_modules/@smithy/node-http-handler" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "SKIP: npm is not installed, cannot install @aws-sdk/client-bedrock-runtime"; exit 77
  fi
  echo "installing the AWS SDK for JavaScript into $here/node_modules (npm ci)"
  if ! (cd "$here" && timeout 300 npm ci --no-audit --no-fund >/tmp/brock-js-oracle-npm.log 2>&1); then
    echo "SKIP: npm ci failed (see /tmp/brock-js-oracle-npm.log):"
    tail -5 /tmp/brock-js-oracle-npm.log
    exit 77
  fi
fi
export BROCK_EMULATOR_BIN
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL \
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME AWS_BEARER_TOKEN_BEDROCK AWS_REGION AWS_DEFAULT_REGION
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
cmd="node --no-warnings '$here/js_sdk_emulator_check.mjs'"
if unshare -n sh -c 'ip link set lo up' >/dev/null 2>&1; then
  echo "running inside a private network namespace (unshare -n, loopback only)"
  exec timeout 120 unshare -n sh -c "ip link set lo up && $cmd"
fi
echo "unshare -n is not permitted here: running directly (the check talks to 127.0.0.1 only)"
exec timeout 120 sh -c "$cmd"
