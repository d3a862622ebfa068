"""botocore and brock resolve the same profiles to the same credentials.

Writes a config and credentials file with static keys, a 3-profile role chain, a self-sourced
role, a role whose source profile has both keys and a role, and credential_process profiles
(quoting in the command line, and botocore's order between process and static keys in either
file); STS is moto (moto_sts_fixture.py) through AWS_ENDPOINT_URL_STS. Each profile is resolved
by boto3.Session(profile_name=...).get_credentials() and by brock's BotocoreProfiles driver.
Static and process credentials must be identical; assumed-role credentials (fresh each call)
must belong to the same caller ARN per GetCallerIdentity. Exit 0 pass, 1 fail.
"""
import datetime
import hashlib
import os
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from moto_sts_fixture import MotoSts  # noqa: E402

import boto3  # noqa: E402

ROLE_PROFILES = {"chain-mid", "chain-top", "self-ref", "via-both"}


def sha(value):
    return hashlib.sha256(value.encode()).hexdigest() if value else "-"


def write_files(tmp, moto):
    script = os.path.join(tmp, "cred tools", "print creds.py")
    os.makedirs(os.path.dirname(script))
    expiry = (datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M:%SZ")
    with open(script, "w") as f:
        f.write(f"""import json, sys
# argv must arrive exactly as the shell-style quoting says, with no shell involved.
assert sys.argv[1:] == ["--name", "it's a test", "a;b"], sys.argv
json.dump({{"Version": 1, "AccessKeyId": {moto.key_id!r}, "SecretAccessKey": {moto.secret!r},
           "SessionToken": "process-session-token-" + sys.argv[0][-3:], "Expiration": {expiry!r}}}, sys.stdout)
""")
    proc = f"credential_process = {sys.executable} \"{script}\" --name 'it'\\''s a test' a\\;b\n"
    keys = f"aws_access_key_id = {moto.key_id}\naws_secret_access_key = {moto.secret}\n"
    other_keys = "aws_access_key_id = AKIDCONFIGKEYS\naws_secret_access_key = config-file-secret-123\n"
    config = (
        "[profile static-session]\naws_access_key_id = AKIDSESSION\naws_secret_access_key = session-secret-123\n"
        "aws_session_token = session-token-123\n"
        f"[profile chain-mid]\nrole_arn = {moto.role_arn}\nsource_profile = static\n"
        "external_id = brock-external\nrole_session_name = mid-session\n"
        f"[profile chain-top]\nrole_arn = {moto.role2_arn}\nsource_profile = chain-mid\nrole_session_name = top-session\n"
        f"[profile self-ref]\nrole_arn = {moto.role_arn}\nsource_profile = self-ref\nexternal_id = brock-external\n"
        "role_session_name = self-session\n" + keys +
        f"[profile via-both]\nrole_arn = {moto.role_arn}\nsource_profile = both\nexternal_id = brock-external\n"
        "role_session_name = both-session\n"
        f"[profile both]\nrole_arn = {moto.role2_arn}\n" + keys +
        "[profile proc]\n" + proc +
        "[profile proc-over-config-keys]\n" + proc + other_keys +
        "[profile credfile-keys-over-proc]\n" + proc
    )
    credentials = "[static]\n" + keys + "[credfile-keys-over-proc]\n" + keys
    config_path = os.path.join(tmp, "config")
    credentials_path = os.path.join(tmp, "credentials")
    with open(config_path, "w") as f:
        f.write(config)
    with open(credentials_path, "w") as f:
        f.write(credentials)
    return config_path, credentials_path


def botocore_view(profile, moto):
    creds = boto3.Session(profile_name=profile).get_credentials().get_frozen_credentials()
    arn = "-"
    try:
        sts = boto3.client("sts", region_name="us-east-1", aws_access_key_id=creds.access_key,
                           aws_secret_access_key=creds.secret_key, aws_session_token=creds.token)
        arn = sts.get_caller_identity()["Arn"]
    except Exception:
        pass
    return {"key": creds.access_key, "secret_sha256": sha(creds.secret_key), "token_sha256": sha(creds.token),
            "arn": arn}


def main():
    binary = sys.argv[1]
    with MotoSts() as moto, tempfile.TemporaryDirectory() as tmp:
        config_path, credentials_path = write_files(tmp, moto)
        os.environ.update({"AWS_CONFIG_FILE": config_path, "AWS_SHARED_CREDENTIALS_FILE": credentials_path,
                           "AWS_ENDPOINT_URL_STS": moto.url, "AWS_REGION": "us-east-1",
                           "AWS_DEFAULT_REGION": "us-east-1"})
        profiles = ["static", "static-session", "chain-mid", "chain-top", "self-ref", "via-both", "proc",
                    "proc-over-config-keys", "credfile-keys-over-proc"]
        expected = {p: botocore_view(p, moto) for p in profiles}
        out = os.path.join(tmp, "brock.txt")
        env = dict(os.environ, BROCK_PROFILES=" ".join(profiles), BROCK_PROFILES_OUT=out)
        run = subprocess.run([binary, "--gtest_filter=BotocoreProfiles.*"], env=env, capture_output=True,
                             text=True, timeout=120)
        if run.returncode != 0 or "SKIPPED" in run.stdout:
            print(run.stdout[-4000:], run.stderr[-2000:])
            print("FAIL: brock's profile driver did not run cleanly")
            return 1
        got = {}
        with open(out) as f:
            for line in f:
                name, *fields = line.split()
                got[name] = dict(field.split("=", 1) for field in fields if "=" in field)
        failures = 0
        for p in profiles:
            b, e = got.get(p, {}), expected[p]
            if "error" in b:
                print(f"FAIL {p}: brock error {b['error']} (stderr: {run.stderr.strip()[-500:]})")
                failures += 1
                continue
            keys = ["arn"] if p in ROLE_PROFILES else ["key", "secret_sha256", "token_sha256", "arn"]
            diffs = [k for k in keys if b.get(k) != e[k]]
            if p in ROLE_PROFILES and (e["arn"] == "-" or not b.get("key", "").startswith("ASIA")):
                diffs.append("no assumed-role identity")
            if diffs:
                print(f"FAIL {p}: differs in {diffs}: brock {b} botocore {e}")
                failures += 1
            else:
                print(f"ok   {p}: " + (e["arn"] if p in ROLE_PROFILES else f"key {e['key']} arn {e['arn']}"))
        if failures:
            print(f"FAIL: {failures} of {len(profiles)} profiles differ")
            return 1
        print(f"PASS: botocore and brock agree on {len(profiles)} profiles")
        return 0


if __name__ == "__main__":
    sys.exit(main())
