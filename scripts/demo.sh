#!/usr/bin/env bash
# make demo: the setup guide's flow end to end, offline. Starts the bundled Bedrock emulator on
# 127.0.0.1, builds a throwaway HOME exactly as the guide says (user settings with
# CLAUDE_CODE_USE_BEDROCK, AWS_REGION and AWS_PROFILE; static keys for that profile in
# ~/.aws/credentials), asks the guide's test question with brock -p, and stops the emulator.
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD=${BUILD:-build}
demo_home=$(mktemp -d /tmp/brock-demo-XXXXXX)
emulator_pid=""
cleanup() {
  [ -n "$emulator_pid" ] && kill "$emulator_pid" 2>/dev/null && wait "$emulator_pid" 2>/dev/null
  rm -rf "$demo_home"
}
trap cleanup EXIT

key_id=AKIDDEMOEXAMPLE00001
secret=demoSecretKeyForTheOfflineEmulator000001

mkdir -p "$demo_home/.claude" "$demo_home/.aws"
cat > "$demo_home/.claude/settings.json" <<JSON
{
  "env": {
    "CLAUDE_CODE_USE_BEDROCK": "1",
    "AWS_REGION": "us-east-1",
    "AWS_PROFILE": "ui-dev"
  }
}
JSON
cat > "$demo_home/.aws/credentials" <<INI
[ui-dev]
aws_access_key_id = $key_id
aws_secret_access_key = $secret
INI
chmod 600 "$demo_home/.aws/credentials"

"$BUILD/brock-emulator" --port 0 --port-file "$demo_home/port" --access-key "$key_id:$secret" --quiet &
emulator_pid=$!
for _ in $(seq 200); do [ -s "$demo_home/port" ] && break; sleep 0.02; done
port=$(cat "$demo_home/port")

question="Which state is the Garden State? Answer in one sentence."
echo "brock demo: the answer below comes from the OFFLINE Bedrock emulator on 127.0.0.1:$port,"
echo "not from Amazon Bedrock. Same settings files, SigV4 signing and event stream as the real service."
echo
echo "\$ brock -p \"$question\""
env -i HOME="$demo_home" PATH="/usr/bin:/bin" \
  ANTHROPIC_BEDROCK_BASE_URL="http://127.0.0.1:$port" \
  "$BUILD/brock" -p "$question"
echo
echo "(HOME was $demo_home: ~/.claude/settings.json and ~/.aws/credentials as the setup guide has them;"
echo " ANTHROPIC_BEDROCK_BASE_URL pointed brock at the emulator instead of bedrock-runtime.us-east-1.amazonaws.com.)"
