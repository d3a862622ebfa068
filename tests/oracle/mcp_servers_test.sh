#!/usr/bin/env bash
# Peers: the official MCP reference servers (@modelcontextprotocol/server-everything and
# server-filesystem, pinned in tests/mcp/package-lock.json) driven by the real brock binary, with
# brock-emulator as the model, all inside a network namespace with only loopback (unshare -n) when
# permitted. Installs the servers into tests/mcp/node_modules (npm ci) when missing.
# Exit 0 pass, 1 fail, 77 skip (node/npm missing or the install failed).
set -u
: "${BROCK_BIN:?BROCK_BIN must point at brock (CTest sets it)}"
: "${BROCK_EMULATOR_BIN:?BROCK_EMULATOR_BIN must point at brock-emulator (CTest sets it)}"
: "${BROCK_SOURCE_DIR:?BROCK_SOURCE_DIR must point at the source tree (CTest sets it)}"
peers="$BROCK_SOURCE_DIR/tests/mcp"
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed"; exit 77
fi
if [ ! -f "$peers/node_modules/@modelcontextprotocol/server-everything/dist/index.js" ] ||
   [ ! -f "$peers/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "SKIP: npm is not installed, cannot install the MCP reference servers"; exit 77
  fi
  echo "installing the MCP reference servers into $peers/node_modules (npm ci)"
  if ! (cd "$peers" && timeout 300 npm ci --no-audit --no-fund >/tmp/brock-mcp-npm.log 2>&1); then
    echo "SKIP: npm ci failed (see /tmp/brock-mcp-npm.log):"
    tail -5 /tmp/brock-mcp-npm.log
    exit 77
  fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home/.claude" "$work/home/.aws" "$work/project/.git"
cat >"$work/home/.claude/settings.json" <<JSON
{"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "AWS_PROFILE": "dev"}}
JSON
printf '[dev]\naws_access_key_id = AKIDMCPPEERTEST00001\naws_secret_access_key = mcp-peer-secret\n' \
  >"$work/home/.aws/credentials"
echo "the password is swordfish" >"$work/project/notes.txt"
cat >"$work/script.json" <<JSON
{"rules": [
  {"name": "read", "match": {"contains": "read the notes"},
   "content": [{"type": "tool_use", "name": "mcp__files__read_text_file",
                "input": {"path": "$work/project/notes.txt"}}]},
  {"name": "echo", "match": {"tool_result_contains": "swordfish"},
   "content": [{"type": "tool_use", "name": "mcp__everything__echo", "input": {"message": "peer says hi"}}]},
  {"name": "done", "match": {"tool_result_contains": "Echo: peer says hi"}, "text": "PEERS OK"},
  {"name": "fallback", "text": "PEERS FAILED"}
]}
JSON
cat >"$work/mcp.json" <<JSON
{"mcpServers": {
  "files": {"command": "node", "args": ["$peers/node_modules/@modelcontextprotocol/server-filesystem/dist/index.js", "$work/project"]},
  "everything": {"command": "node", "args": ["$peers/node_modules/@modelcontextprotocol/server-everything/dist/index.js", "stdio"]}
}}
JSON
cat >"$work/run.sh" <<SH
set -u
"$BROCK_EMULATOR_BIN" --port 0 --port-file "$work/port" --quiet \
  --access-key AKIDMCPPEERTEST00001:mcp-peer-secret --script "$work/script.json" &
emu=\$!
for i in \$(seq 1 100); do [ -s "$work/port" ] && break; sleep 0.05; done
cd "$work/project"
out=\$(env -i PATH="\$PATH" HOME="$work/home" \
  ANTHROPIC_BEDROCK_BASE_URL="http://127.0.0.1:\$(cat "$work/port")" \
  "$BROCK_BIN" -p "Please read the notes" --mcp-config "$work/mcp.json" --allowedTools mcp__files,mcp__everything 2>"$work/err")
rc=\$?
kill \$emu 2>/dev/null
if [ \$rc -ne 0 ] || [ "\$out" != "PEERS OK" ]; then
  echo "FAIL: brock exited \$rc with: \$out"; cat "$work/err"; exit 1
fi
echo "ok: the filesystem and everything servers answered brock's tool calls"
SH
if unshare -n sh -c 'ip link set lo up' >/dev/null 2>&1; then
  echo "running inside a private network namespace (unshare -n, loopback only)"
  timeout 120 unshare -n sh -c "ip link set lo up && bash '$work/run.sh'"
  exit $?
fi
echo "unshare -n is not permitted here: running directly (everything talks to 127.0.0.1 only)"
timeout 120 bash "$work/run.sh"
