"""boto3 / botocore against brock-emulator: both runtime operations, signature verification,
scripted errors and mid-stream exception frames, and the Bedrock control plane (boto3's "bedrock"
client: inference profiles with paging, application profiles, foundation models). Run by
boto3_emulator_test.sh."""
import json
import os
import subprocess
import sys
import tempfile
import time

import boto3
import botocore.config
from botocore.exceptions import ClientError, EventStreamError

EMULATOR = os.environ["BROCK_EMULATOR_BIN"]
KEY_ID, SECRET = "AKIDBOTOORACLE", "botoOracleSecret/0123456789abcdefghijkl"
EXPIRED_TOKEN = "expired-session-token-0123456789"
MODEL = "anthropic.claude-3-5-sonnet-20240620-v1:0"
GARDEN = "Which state is the Garden State? Answer in one sentence."

SCRIPT = {"rules": [
    {"name": "throttle", "match": {"contains": "please throttle"},
     "error": {"type": "ThrottlingException", "message": "Too many requests, slow down."}},
    {"name": "midstream", "match": {"contains": "break the stream"}, "text": "one two three four five six",
     "exception_frame": {"type": "modelStreamErrorException", "message": "stream broke", "after_events": 2}},
    {"name": "tool", "match": {"contains": "list files"},
     "content": [{"type": "text", "text": "Listing."},
                 {"type": "tool_use", "name": "Bash", "input": {"command": "ls -la", "description": "list"}}]},
    {"name": "garden", "match": {"regex": "Garden\\s+State"}, "text": "New Jersey is known as the Garden State."},
    {"name": "fallback", "text": "fallback reply"},
]}


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def start(tmp, extra):
    port_file = os.path.join(tmp, "port")
    if os.path.exists(port_file):
        os.unlink(port_file)
    proc = subprocess.Popen([EMULATOR, "--port", "0", "--port-file", port_file, "--quiet"] + extra)
    deadline = time.time() + 10
    while not os.path.exists(port_file):
        if proc.poll() is not None or time.time() > deadline:
            fail("emulator did not start (exit %s)" % proc.poll())
        time.sleep(0.02)
    return proc, int(open(port_file).read().strip())


def client(port, secret=SECRET, token=None):
    return boto3.client(
        "bedrock-runtime", endpoint_url="http://127.0.0.1:%d" % port, region_name="us-east-1",
        aws_access_key_id=KEY_ID, aws_secret_access_key=secret, aws_session_token=token,
        config=botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 1}))


def body(prompt):
    return json.dumps({"anthropic_version": "bedrock-2023-05-31", "max_tokens": 200,
                       "messages": [{"role": "user", "content": prompt}]})


def stream_events(resp):
    events = []
    for ev in resp["body"]:
        if "chunk" not in ev:
            fail("unexpected stream member %r" % list(ev))
        events.append(json.loads(ev["chunk"]["bytes"]))
    return events


def expect_client_error(fn, code):
    try:
        fn()
    except ClientError as e:
        got = e.response["Error"]["Code"]
        if got != code:
            fail("expected %s, got %s (%s)" % (code, got, e))
        return e
    fail("expected ClientError %s, got success" % code)


def main():
    tmp = tempfile.mkdtemp()
    script = os.path.join(tmp, "script.json")
    with open(script, "w") as f:
        json.dump(SCRIPT, f)
    log = os.path.join(tmp, "requests.jsonl")
    proc, port = start(tmp, ["--access-key", KEY_ID + ":" + SECRET, "--script", script,
                             "--expired-token", EXPIRED_TOKEN, "--request-log", log])
    try:
        c = client(port)
        # InvokeModel
        r = c.invoke_model(modelId=MODEL, body=body(GARDEN), contentType="application/json")
        msg = json.loads(r["body"].read())
        text = msg["content"][0]["text"]
        if "New Jersey" not in text:
            fail("invoke_model text: %r" % text)
        if msg["stop_reason"] != "end_turn" or msg["usage"]["output_tokens"] < 1:
            fail("invoke_model message: %r" % msg)
        print("ok invoke_model: " + text)

        # InvokeModelWithResponseStream
        r = c.invoke_model_with_response_stream(modelId=MODEL, body=body(GARDEN))
        events = stream_events(r)
        types = [e["type"] for e in events]
        if types[0] != "message_start" or types[-1] != "message_stop":
            fail("stream event order: %r" % types)
        deltas = [e["delta"]["text"] for e in events if e["type"] == "content_block_delta"]
        if len(deltas) < 2 or "".join(deltas) != "New Jersey is known as the Garden State.":
            fail("stream deltas: %r" % deltas)
        metrics = events[-1].get("amazon-bedrock-invocationMetrics", {})
        if metrics.get("outputTokenCount", 0) < 1:
            fail("message_stop metrics: %r" % events[-1])
        print("ok invoke_model_with_response_stream: %d events, %d deltas" % (len(events), len(deltas)))

        # tool_use streamed as input_json_delta pieces
        events = stream_events(c.invoke_model_with_response_stream(modelId=MODEL, body=body("list files")))
        parts = [e["delta"]["partial_json"] for e in events
                 if e["type"] == "content_block_delta" and e["delta"]["type"] == "input_json_delta"]
        if json.loads("".join(parts)) != {"command": "ls -la", "description": "list"} or len(parts) < 3:
            fail("tool input pieces: %r" % parts)
        stop = [e for e in events if e["type"] == "message_delta"][0]
        if stop["delta"]["stop_reason"] != "tool_use":
            fail("tool stop_reason: %r" % stop)
        print("ok tool_use stream: %d input_json_delta pieces" % len(parts))

        # wrong secret -> InvalidSignatureException
        expect_client_error(lambda: client(port, secret="wrong" + SECRET).invoke_model(
            modelId=MODEL, body=body(GARDEN)), "InvalidSignatureException")
        print("ok wrong secret -> InvalidSignatureException")
        # expired session token -> ExpiredTokenException
        expect_client_error(lambda: client(port, token=EXPIRED_TOKEN).invoke_model(
            modelId=MODEL, body=body(GARDEN)), "ExpiredTokenException")
        print("ok expired token -> ExpiredTokenException")
        # scripted throttling
        e = expect_client_error(lambda: c.invoke_model(modelId=MODEL, body=body("please throttle")),
                                "ThrottlingException")
        if e.response["ResponseMetadata"]["HTTPStatusCode"] != 429:
            fail("throttling status %r" % e.response["ResponseMetadata"])
        print("ok scripted ThrottlingException (429)")
        # invalid model and body validation
        expect_client_error(lambda: c.invoke_model(modelId="meta.llama3-70b", body=body("x")),
                            "ValidationException")
        e = expect_client_error(lambda: c.invoke_model(modelId=MODEL, body=json.dumps(
            {"anthropic_version": "bedrock-2023-05-31", "messages": []})), "ValidationException")
        if "max_tokens" not in str(e):
            fail("validation message should name max_tokens: %s" % e)
        print("ok ValidationException for bad model and body")
        # mid-stream exception frame -> EventStreamError
        r = c.invoke_model_with_response_stream(modelId=MODEL, body=body("break the stream"))
        got = []
        try:
            for ev in r["body"]:
                got.append(ev)
            fail("stream finished without the exception frame")
        except EventStreamError as e:
            if e.response["Error"]["Code"] != "modelStreamErrorException" or len(got) != 2:
                fail("EventStreamError %r after %d events" % (e.response["Error"], len(got)))
        print("ok mid-stream exception -> EventStreamError(modelStreamErrorException) after 2 events")

        lines = [json.loads(l) for l in open(log)]
        if len(lines) != 9:
            fail("request log has %d lines, want 9" % len(lines))
        first = lines[0]
        if first["model_id"] != MODEL or first["auth_kind"] != "sigv4" or not first["auth_ok"]:
            fail("request log entry: %r" % first)
        if "%3A" not in first["path"]:
            fail("raw path should keep %%3A: %r" % first["path"])
        if SECRET in open(log).read() or "Signature=[REDACTED]" not in json.dumps(first["headers"]):
            fail("request log leaks the signature or secret")
        print("ok request log: %d entries, signature redacted" % len(lines))
    finally:
        proc.terminate()
        if proc.wait(timeout=10) != 0:
            fail("emulator exit code %s after SIGTERM" % proc.returncode)
    control_plane_checks()
    print("boto3 oracle: all checks passed")


def control_client(port, region="us-east-1"):
    return boto3.client(
        "bedrock", endpoint_url="http://127.0.0.1:%d" % port, region_name=region,
        aws_access_key_id=KEY_ID, aws_secret_access_key=SECRET,
        config=botocore.config.Config(retries={"mode": "standard", "total_max_attempts": 1}))


def control_plane_checks():
    with tempfile.TemporaryDirectory() as tmp:
        proc, port = start(tmp, ["--access-key", KEY_ID + ":" + SECRET,
                                 "--deny-action", "bedrock:GetFoundationModel"])
        try:
            b = control_client(port)
            # Paging: pages of 4 through the 16 system-defined profiles.
            pages = list(b.get_paginator("list_inference_profiles").paginate(
                PaginationConfig={"PageSize": 4}))
            if len(pages) != 4:
                fail("want 4 pages of 4 system-defined profiles, got %d" % len(pages))
            profiles = [p for page in pages for p in page["inferenceProfileSummaries"]]
            ids = [p["inferenceProfileId"] for p in profiles]
            if len(set(ids)) != 16 or "us.anthropic.claude-sonnet-4-6" not in ids:
                fail("system-defined profiles: %r" % ids)
            for p in profiles:
                if p["type"] != "SYSTEM_DEFINED" or p["status"] != "ACTIVE":
                    fail("profile %r" % p)
                if not hasattr(p["createdAt"], "year"):
                    fail("createdAt should parse as a timestamp: %r" % p["createdAt"])
            sonnet = [p for p in profiles if p["inferenceProfileId"] == "us.anthropic.claude-sonnet-4-6"][0]
            regions = [m["modelArn"].split(":")[3] for m in sonnet["models"]]
            if regions != ["us-east-1", "us-east-2", "us-west-2"]:
                fail("us. profile routes to %r" % regions)
            print("ok ListInferenceProfiles: 16 profiles in 4 pages, us. routes to 3 regions")
            apps = b.list_inference_profiles(typeEquals="APPLICATION")["inferenceProfileSummaries"]
            if len(apps) != 1 or ":application-inference-profile/" not in apps[0]["inferenceProfileArn"]:
                fail("application profiles: %r" % apps)
            got = b.get_inference_profile(inferenceProfileIdentifier=apps[0]["inferenceProfileArn"])
            if got["type"] != "APPLICATION" or not got["models"][0]["modelArn"].endswith(
                    "foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"):
                fail("GetInferenceProfile by ARN: %r" % got)
            by_id = b.get_inference_profile(inferenceProfileIdentifier="global.anthropic.claude-opus-4-6-v1")
            if by_id["inferenceProfileArn"] != "arn:aws:bedrock:us-east-1:111122223333:inference-profile/global.anthropic.claude-opus-4-6-v1":
                fail("GetInferenceProfile by id: %r" % by_id["inferenceProfileArn"])
            expect_client_error(lambda: b.get_inference_profile(inferenceProfileIdentifier="us.nope"),
                                "ResourceNotFoundException")
            print("ok GetInferenceProfile: application profile ARN, system profile id, not found")
            models = b.list_foundation_models()["modelSummaries"]
            anthropic = b.list_foundation_models(byProvider="anthropic")["modelSummaries"]
            if len(models) != 10 or len(anthropic) != 9:
                fail("foundation models: %d / %d anthropic" % (len(models), len(anthropic)))
            if anthropic[0]["modelLifecycle"]["status"] != "ACTIVE":
                fail("modelLifecycle: %r" % anthropic[0])
            expect_client_error(lambda: b.get_foundation_model(modelIdentifier="anthropic.claude-sonnet-4-6"),
                                "AccessDeniedException")
            expect_client_error(lambda: control_client(port, "us-west-2").list_foundation_models(),
                                "InvalidSignatureException")
            print("ok ListFoundationModels, denied GetFoundationModel, wrong region refused")
        finally:
            proc.terminate()
            proc.wait(timeout=10)
        proc, port = start(tmp, ["--access-key", KEY_ID + ":" + SECRET, "--region", "us-gov-west-1"])
        try:
            b = control_client(port, "us-gov-west-1")
            profiles = b.list_inference_profiles(maxResults=100)["inferenceProfileSummaries"]
            arns = [p["inferenceProfileArn"] for p in profiles]
            if not arns or not all(a.startswith("arn:aws-us-gov:bedrock:us-gov-west-1:") for a in arns):
                fail("GovCloud profile ARNs: %r" % arns)
            model = b.get_foundation_model(modelIdentifier="anthropic.claude-sonnet-4-5-20250929-v1:0")
            if not model["modelDetails"]["modelArn"].startswith("arn:aws-us-gov:bedrock:us-gov-west-1::"):
                fail("GovCloud model ARN: %r" % model["modelDetails"]["modelArn"])
            print("ok us-gov-west-1 catalog in the aws-us-gov partition")
        finally:
            proc.terminate()
            proc.wait(timeout=10)


if __name__ == "__main__":
    main()
