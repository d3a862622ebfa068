#!/usr/bin/env bash
# Oracle: moto (an AWS service mock that verifies SigV4 signatures, IAM policies and role trust
# policies once authentication is enforced) accepts brock's signed STS calls: GetCallerIdentity,
# AssumeRole (external id, duration), a 3-profile role chain, and refuses a wrong secret and an
# unauthorized user the way brock expects. Runs inside a network namespace with only loopback
# (unshare -n) when permitted. Exit 0 pass, 1 fail, 77 skip (python3/moto/boto3 missing).
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
unset AWS_PROFILE AWS_ACCESS_KEY_ID AWS_SECRET_ACCESS_KEY AWS_SESSION_TOKEN AWS_ENDPOINT_URL \
  AWS_ENDPOINT_URL_STS AWS_REGION AWS_DEFAULT_REGION HTTP_PROXY HTTPS_PROXY http_proxy https_proxy
export AWS_CONFIG_FILE=/dev/null AWS_SHARED_CREDENTIALS_FILE=/dev/null AWS_EC2_METADATA_DISABLED=true
cmd="python3 '$here/moto_sts_check.py' '$bin'"
if unshare -n sh -c 'ip link set lo up' >/dev/null 2>&1; then
  echo "running inside a private network namespace (unshare -n, loopback only)"
  exec timeout 240 unshare -n sh -c "ip link set lo up && $cmd"
fi
echo "unshare -n is not permitted here: running directly (moto listens on 127.0.0.1 only)"
exec timeout 240 sh -c "$cmd"
