#!/usr/bin/env bash
# OAuth for remote MCP servers, end to end: the real brock binary against an MCP server on the
# official TypeScript SDK that requires OAuth (tests/mcp/oauth_test_server.mjs: the SDK's
# mcpAuthRouter and requireBearerAuth), with brock-emulator as the model. The browser is the
# user-facing BROWSER variable set to a small script that GETs the authorization URL and follows
# its redirect to brock's loopback callback, as a user who approves would. Proves:
#   - before sign-in, print mode reports the server in one line and as "needs-auth" in
#     stream-json's system/init, and the session goes on; `brock mcp list` says so too;
#   - `brock mcp login` discovers (401 → resource metadata → authorization server metadata),
#     registers a client dynamically, runs the PKCE code flow and saves the tokens 0600;
#   - the saved token connects the server and its tool works; an expired token is refreshed;
#   - no token ever appears in brock's output; `brock mcp logout` forgets the sign-in.
# Everything listens on and talks to 127.0.0.1 only (inside unshare -n when permitted).
# Exit 0 pass, 1 fail, 77 skip (node/npm/curl missing or the install failed).
set -u
: "${BROCK_BIN:?BROCK_BIN must point at brock (CTest sets it)}"
: "${BROCK_EMULATOR_BIN:?BROCK_EMULATOR_BIN must point at brock-emulator (CTest sets it)}"
: "${BROCK_SOURCE_DIR:?BROCK_SOURCE_DIR must point at the source tree (CTest sets it)}"
peers="$BROCK_SOURCE_DIR/tests/mcp"
if ! command -v node >/dev/null 2>&1; then
  echo "SKIP: node is not installed"; exit 77
fi
if ! command -v curl >/dev/null 2>&1; then
  echo "SKIP: curl is not installed (the test's stand-in browser uses it)"; exit 77
fi
if [ ! -f "$peers/node_modules/@modelcontextprotocol/sdk/dist/esm/server/auth/router.js" ] ||
   [ ! -d "$peers/node_modules/express" ]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "SKIP: npm is not installed, cannot install the MCP TypeScript SDK"; exit 77
  fi
  echo "installing the MCP TypeScript SDK into $peers/node_modules (npm ci)"
  if ! (cd "$peers" && timeout 300 npm ci --no-audit --no-fund >/tmp/brock-mcp-oauth-npm.log 2>&1); then
    echo "SKIP: npm ci failed (see /tmp/brock-mcp-oauth-npm.log):"
    tail -5 /tmp/brock-mcp-oauth-npm.log
    exit 77
  fi
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/home/.claude" "$work/home/.aws" "$work/project/.git"
cat >"$work/home/.claude/settings.json" <<JSON
{"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1", "AWS_PROFILE": "dev"}}
JSON
printf '[dev]\naws_access_key_id = AKIDMCPOAUTHTEST0001\naws_secret_access_key = mcp-oauth-secret\n' \
  >"$work/home/.aws/credentials"
cat >"$work/script.json" <<JSON
{"rules": [
  {"name": "call", "match": {"contains": "who am i"},
   "content": [{"type": "tool_use", "name": "mcp__secure__whoami", "input": {}}]},
  {"name": "done", "match": {"tool_result_contains": "signed in as a client"}, "text": "OAUTH OK"},
  {"name": "fallback", "text": "NO TOOL"}
]}
JSON
# The stand-in browser: GET the authorization URL (the server approves at once and redirects to
# http://localhost:PORT/callback), then GET that redirect on 127.0.0.1, as a browser would.
cat >"$work/browser.sh" <<'SH'
#!/bin/sh
dir=$(dirname "$0")
echo "$1" >"$dir/browser-url"
location=$(curl -s -o /dev/null -w '%{redirect_url}' "$1")
echo "$location" >"$dir/browser-redirect"
callback=$(echo "$location" | sed 's#^http://localhost:#http://127.0.0.1:#')
curl -s "$callback" >"$dir/browser-page"
SH
chmod +x "$work/browser.sh"

cat >"$work/run.sh" <<SH
set -u
fail() { echo "FAIL: \$*"; for f in "$work"/out.* "$work"/err.* "$work/server.log"; do [ -f "\$f" ] && { echo "--- \$f"; cat "\$f"; }; done; kill \$srv \$emu 2>/dev/null; exit 1; }
TOKEN_SECONDS=65 node "$peers/oauth_test_server.mjs" "$work/srvport" "$work/server.log" >"$work/server.out" 2>&1 &
srv=\$!
"$BROCK_EMULATOR_BIN" --port 0 --port-file "$work/port" --quiet \
  --access-key AKIDMCPOAUTHTEST0001:mcp-oauth-secret --script "$work/script.json" &
emu=\$!
for i in \$(seq 1 200); do [ -s "$work/port" ] && [ -s "$work/srvport" ] && break; sleep 0.05; done
[ -s "$work/srvport" ] || fail "the OAuth test server did not start: \$(cat "$work/server.out")"
url="http://127.0.0.1:\$(cat "$work/srvport")/mcp"
cd "$work/project"
b() { env -i PATH="\$PATH" HOME="$work/home" BROWSER="$work/browser.sh" \
        ANTHROPIC_BEDROCK_BASE_URL="http://127.0.0.1:\$(cat "$work/port")" "$BROCK_BIN" "\$@"; }

b mcp add -t http -s user secure "\$url" >"$work/out.add" 2>&1 || fail "mcp add"

# 1. Not signed in: one line, status needs-auth, the session goes on.
b -p "hello" --output-format stream-json --verbose >"$work/out.before" 2>"$work/err.before" ||
  fail "print mode failed before the sign-in"
grep -q '"name":"secure","status":"needs-auth"' "$work/out.before" || fail "no needs-auth status in system/init"
grep -q "MCP server 'secure' needs authentication: run brock mcp login secure" "$work/err.before" ||
  fail "no needs-authentication line"
grep -q '"result":"NO TOOL"' "$work/out.before" || fail "the session did not go on"
[ -f "$work/browser-url" ] && fail "print mode opened a browser"
b mcp list >"$work/out.list1" 2>&1
grep -q "secure: .*! Needs authentication" "$work/out.list1" || fail "mcp list does not say needs authentication"
echo "ok: before the sign-in the server is reported as needing authentication"

# 2. Sign in.
b mcp login secure >"$work/out.login" 2>"$work/err.login" || fail "brock mcp login failed"
grep -q "^http://127.0.0.1:.*/authorize?response_type=code&" "$work/out.login" || fail "the URL was not printed"
grep -q "code_challenge_method=S256" "$work/browser-url" || fail "no PKCE S256 in the authorization URL"
grep -q "resource=http%3A%2F%2F127.0.0.1%3A" "$work/browser-url" || fail "no resource parameter"
grep -q "^http://localhost:[0-9]*/callback?code=" "$work/browser-redirect" || fail "unexpected redirect: \$(cat "$work/browser-redirect")"
grep -q "close this tab" "$work/browser-page" || fail "the callback page is missing"
grep -q "Signed in to MCP server secure" "$work/out.login" || fail "no success line"
grep -q "code exchanged resource=\$url" "$work/server.log" || fail "the server saw no code exchange for \$url"
tokfile=\$(ls "$work/home/.brock/mcp-oauth/"*.json) || fail "no token file"
[ "\$(stat -c %a "\$tokfile")" = 600 ] || fail "the token file is not 0600"
[ "\$(stat -c %a "$work/home/.brock/mcp-oauth")" = 700 ] || fail "the token directory is not 0700"
access=\$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).accessToken)' "\$tokfile")
[ -n "\$access" ] || fail "no access token saved"
echo "ok: brock mcp login signed in and saved the tokens 0600"

# 3. Connected with the token; the token (65 s, within brock's 60 s margin after 5 s) is refreshed.
b mcp list >"$work/out.list2" 2>&1
grep -q "secure: .*✓ Connected" "$work/out.list2" || fail "mcp list does not say connected"
sleep 6
b -p "who am i" --output-format stream-json --verbose --allowedTools mcp__secure \
  >"$work/out.after" 2>"$work/err.after" || fail "print mode failed after the sign-in"
grep -q '"name":"secure","status":"connected"' "$work/out.after" || fail "not connected after the sign-in"
grep -q '"result":"OAUTH OK"' "$work/out.after" || fail "the tool call did not work"
grep -q "^refreshed" "$work/server.log" || fail "the expired token was not refreshed"
newaccess=\$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1])).accessToken)' "\$tokfile")
[ "\$newaccess" != "\$access" ] || fail "the refreshed token was not saved"
echo "ok: the saved token connected the server, its tool ran, and the expired token was refreshed"

# 4. Secrets never appear in what brock printed.
for t in "\$access" "\$newaccess"; do
  if grep -rqF "\$t" "$work"/out.* "$work"/err.*; then fail "a token appeared in brock's output"; fi
done
echo "ok: no token in brock's output"

# 5. Sign out.
b mcp logout secure >"$work/out.logout" 2>&1 || fail "brock mcp logout failed"
[ -e "\$tokfile" ] && fail "the token file is still there"
b mcp list >"$work/out.list3" 2>&1
grep -q "secure: .*! Needs authentication" "$work/out.list3" || fail "still signed in after logout"
echo "ok: brock mcp logout forgot the sign-in"
kill \$srv \$emu 2>/dev/null
exit 0
SH
if unshare -n sh -c 'ip link set lo up' >/dev/null 2>&1; then
  echo "running inside a private network namespace (unshare -n, loopback only)"
  timeout 200 unshare -n sh -c "ip link set lo up && bash '$work/run.sh'"
  exit $?
fi
echo "unshare -n is not permitted here: running directly (everything talks to 127.0.0.1 only)"
timeout 200 bash "$work/run.sh"
