#!/usr/bin/env bash
# Comparison: the real Claude Code (the pinned @anthropic-ai/claude-code from tests/peers) and brock
# answer the same emulator script in print mode (json and stream-json); every JSON object each
# prints is compared field by field (key sets and value types). The allowed differences are listed
# in claude_code_compare.py and in docs/print-mode.md.
# Claude Code runs on Bedrock (CLAUDE_CODE_USE_BEDROCK=1, ANTHROPIC_BEDROCK_BASE_URL at the
# emulator, CLAUDE_CODE_SKIP_BEDROCK_AUTH=1) with HOME in a temporary directory, inside a network
# namespace with only loopback (unshare -n) when permitted.
# Exit 0 pass, 1 fail, 77 skip (node/npm/python3 missing, or the install failed).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
peers="$(cd "$here/../peers" && pwd)"
: "${BROCK_BIN:?BROCK_BIN must point at brock (CTest sets it)}"
: "${BROCK_EMULATOR_BIN:?BROCK_EMULATOR_BIN must point at brock-emulator (CTest sets it)}"
for tool in node npm python3; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "SKIP: $tool is not installed"; exit 77
  fi
done
claude="$peers/node_modules/@anthropic-ai/claude-code/bin/claude.exe"
if [ ! -x "$claude" ] || ! "$claude" --version >/dev/null 2>&1; then
  echo "installing Claude Code into $peers/node_modules (npm ci)"
  if ! (cd "$peers" && timeout 600 npm ci --no-audit --no-fund >/tmp/brock-claude-code-npm.log 2>&1); then
    echo "SKIP: npm ci failed (see /tmp/brock-claude-code-npm.log):"
    tail -5 /tmp/brock-claude-code-npm.log
    exit 77
  fi
  if [ ! -x "$claude" ] || ! "$claude" --version >/dev/null 2>&1; then
    echo "SKIP: the Claude Code package installed but its binary does not run here"
    exit 77
  fi
fi
export CLAUDE_BIN="$claude" BROCK_BIN BROCK_EMULATOR_BIN
cmd="python3 '$here/claude_code_compare.py'"
if unshare -n sh -c 'ip link set lo up' >/dev/null 2>&1; then
  echo "running inside a private network namespace (unshare -n, loopback only)"
  exec timeout 280 unshare -n sh -c "ip link set lo up && $cmd"
fi
echo "unshare -n is not permitted here: running directly (everything talks to 127.0.0.1 only)"
exec timeout 280 sh -c "$cmd"
