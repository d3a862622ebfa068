#!/usr/bin/env bash
# Oracle: boto3 (botocore's own SigV4 signer and event-stream parser) against brock-emulator.
# Runs inside a network namespace with only loopback (unshare -n) when permitted, so the SDK
# cannot reach AWS. Exit 0 pass, 1 fail, 77 skip (python3/boto3 missing).
set -u
here="$(cd "$(dirname "$0")" && pwd)"
: "${BROCK_EMULATOR_BIN:?BROCK_EMULATOR_BIN must point at brock-emulator (CTest sets it)}"
if [ ! -x "$BROCK_EMULATOR_BIN" ]; then
  echo "FAIL: $BROCK_EMULATOR_BIN is not an executable"; exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "SKIP: python3 is not installed"; exit 77
fi
if ! python3 -c 'import boto3' >/dev/null 2>&1; then
  echo "SKIP: python3 has no boto3 module (pip install boto3)"; exit 77
fi
# Debian 12's python3-boto3 (1.26) predates Bedrock: its botocore has no bedrock-runtime model.
if ! python3 -c 'import boto3, sys; sys.exit("bedrock-runtime" not in boto3.session.Session().get_available_services())' >/dev/null 2>&1; then
  echo "SKIP: python3's boto3 $(python3 -c 'import boto3; print(boto3.__version__)' 2>/dev/null) has no bedrock-runtime service (boto3 >= 1.28.57 has it: pip install -U boto3)"; exit 77
fi
export BROCK_EMULATOR_BIN
# No credentials or endpoints from the caller's environment may leak into the SDK.
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL \
  AWS_ENDPOINT_URL_BEDROCK_RUNTIME AWS_BEARER_TOKEN_BEDROCK
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
cmd="python3 '$here/boto3_emulator_check.py'"
if unshare -n sh -c 'ip link set lo up' >/dev/null 2>&1; then
  echo "running inside a private network namespace (unshare -n, loopback only)"
  exec timeout 120 unshare -n sh -c "ip link set lo up && $cmd"
fi
echo "unshare -n is not permitted here: running directly (the check talks to 127.0.0.1 only)"
exec timeout 120 sh -c "$cmd"
