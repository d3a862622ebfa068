#!/usr/bin/env bash
# The official TypeScript Agent SDK (@anthropic-ai/claude-agent-sdk, pinned in package.json /
# package-lock.json) drives brock through pathToClaudeCodeExecutable against brock-emulator
# (agent_sdk_check.mjs). Installs the SDK into tests/agent_sdk/node_modules (npm ci) when missing.
# Runs inside a network namespace with only loopback (unshare -n) when permitted.
# Exit 0 pass, 1 fail, 77 skip (node/npm missing or the install failed).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
: "${BROCK_BIN:?BROCK_BIN must point at brock (CTest sets it)}"
: "${BROCK_EMULATOR_BIN:?BROCK_EMULATOR_BIN must point at brock-emulator (CTest sets it)}"
for bin in "$BROCK_BIN" "$BROCK_EMULATOR_BIN"; do
  if [ ! -x "$bin" ]; then echo "FAIL: $bin is not an executable"; exit 1; fi
done
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed"; exit 77
fi
if [ ! -d "$here/node_modules/@anthropic-ai/claude-agent-sdk" ] || [ ! -d "$here/node_modules/zod" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "SKIP: npm is not installed, cannot install @anthropic-ai/claude-agent-sdk"; exit 77
  fi
  echo "installing the Agent SDK into $here/node_modules (npm ci)"
  if ! (cd "$here" && timeout 300 npm ci --no-audit --no-fund >/tmp/brock-agent-sdk-npm.log 2>&1); then
    echo "SKIP: npm ci failed (see /tmp/brock-agent-sdk-npm.log):"
    tail -5 /tmp/brock-agent-sdk-npm.log
    exit 77
  fi
fi
export BROCK_BIN BROCK_EMULATOR_BIN
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL \
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME AWS_BEARER_TOKEN_BEDROCK AWS_REGION AWS_DEFAULT_REGION \
  ANTHROPIC_API_KEY CLAUDE_CODE_USE_BEDROCK
cmd="node --no-warnings '$here/agent_sdk_check.mjs' ${1:+'$1'}"
if unshare -n sh -c 'ip link set lo up' >/dev/null 2>&1; then
  echo "running inside a private network namespace (unshare -n, loopback only)"
  exec timeout 240 unshare -n sh -c "ip link set lo up && $cmd"
fi
echo "unshare -n is not permitted here: running directly (everything talks to 127.0.0.1 only)"
exec timeout 240 sh -c "$cmd"
