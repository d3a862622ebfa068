#!/usr/bin/env bash
# Oracle: botocore (boto3.Session(profile_name=...).get_credentials()) and brock resolve the
# same profiles to the same credentials: static keys, a 3-profile role chain, self-sourced
# roles, credential_process with shell-style quoting, and the order between credential_process
# and static keys; STS is moto on 127.0.0.1 (AWS_ENDPOINT_URL_STS). Runs inside a network
# namespace with only loopback (unshare -n) when permitted. Exit 0 pass, 1 fail, 77 skip.
set -u
here="$(cd "$(dirname "$0")" && pwd)"
bin="${BROCK_BUILD_DIR:-}/brock_aws_tests"
if [ -z "${BROCK_BUILD_DIR:-}" ] || [ ! -x "$bin" ]; then
  echo "FAIL: \$BROCK_BUILD_DIR/brock_aws_tests is not an executable (BROCK_BUILD_DIR=${BROCK_BUILD_DIR:-unset})"; exit 1
fi
if ! command -v python3 >/dev/null 2>&1; then
  echo "SKIP: python3 is not installed"; exit 77
fi
if ! python3 -c 'import moto.server, boto3' >/dev/null 2>&1; then
  echo "SKIP: python3 has no moto server or boto3 module (Debian 12 packages no moto: pip install 'moto[server]' boto3)"; exit 77
fi
if ! python3 -c 'import botocore, sys; v = tuple(int(x) for x in botocore.__version__.split(".")[:2]); sys.exit(v < (1, 31))' >/dev/null 2>&1; then
  echo "SKIP: botocore older than 1.31 ignores AWS_ENDPOINT_URL_STS (pip install -U boto3)"; exit 77
fi
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL \
  AWS_ENDPOINT_URL_STS AWS_REGION AWS_DEFAULT_REGION HTTP_PROXY HTTPS_PROXY http_proxy https_proxy
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
cmd="python3 '$here/botocore_profiles_check.py' '$bin'"
if unshare -n sh -c 'ip link set lo up' >/dev/null 2>&1; then
  echo "running inside a private network namespace (unshare -n, loopback only)"
  exec timeout 240 unshare -n sh -c "ip link set lo up && $cmd"
fi
echo "unshare -n is not permitted here: running directly (moto listens on 127.0.0.1 only)"
exec timeout 240 sh -c "$cmd"
