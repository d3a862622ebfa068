#!/usr/bin/env python3
"""Field-by-field comparison of Claude Code's and brock's print-mode JSON output.

Both run the same prompt against one brock-emulator script, with --output-format json and with
--output-format stream-json --verbose (plus --include-partial-messages). Every JSON object either
prints is reduced to its shape: for each kind of object ("result/success", "system/init",
"assistant", "user", "stream_event/message_start", ...) the set of key paths and the JSON types
found at each. The shapes are compared; a difference fails the test unless ALLOWED lists it (with
its reason; docs/print-mode.md repeats the list).

Environment: CLAUDE_BIN, BROCK_BIN, BROCK_EMULATOR_BIN. Exit 0 when the shapes agree, 1 when not.
"""
import fnmatch
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time

MODEL = "us.anthropic.claude-sonnet-4-5-20250929-v1:0"
HAIKU = "us.anthropic.claude-haiku-4-5-20251001-v1:0"

# Differences allowed between Claude Code and brock: (kind pattern, path pattern) -> reason.
# "missing" = Claude Code prints it and brock does not; "extra" = the other way round.
ALLOWED = {
    # Claude Code features brock does not have on Bedrock.
    ("missing", "system/init", "plugins*"): "brock has no plugins (it prints an empty list)",
    ("missing", "system/init", "plugin_errors*"): "brock has no plugins",
    ("missing", "system/init", "skills[]"): "brock has no skills (it prints an empty list)",
    ("missing", "system/init", "agents[]"): "no agents defined in this run",
    ("missing", "system/init", "mcp_servers[]*"): "no MCP servers configured in this run",
    ("missing", "system/init", "memory_paths*"): "brock reports memory files in the system prompt only",
    ("missing", "system/init", "fast_mode_state*"): "fast mode is an Anthropic API feature",
    ("missing", "system/init", "analytics_disabled*"): "brock sends no analytics",
    ("missing", "system/init", "cwd_*"): "Claude Code internals about the working directory",
    ("missing", "*", "*.context_management*"): "context management is an Anthropic API beta",
    ("missing", "*", "*usage.iterations*"): "Claude Code internal usage accounting",
    ("missing", "*", "*usage.inference_geo*"): "reported by the Anthropic API, not by Bedrock",
    ("missing", "*", "*usage.speed*"): "fast mode is an Anthropic API feature",
    ("missing", "result/*", "fast_mode_*"): "fast mode is an Anthropic API feature",
    ("missing", "result/*", "ttft*"): "Claude Code timing telemetry",
    ("missing", "result/*", "time_to_request*"): "Claude Code timing telemetry",
    ("missing", "result/*", "*_timing*"): "Claude Code timing telemetry",
    ("missing", "stream_event/*", "ttft_ms"): "Claude Code timing telemetry",
    ("missing", "*", "request_id"): "Bedrock's request id is not kept per message",
    ("missing", "user", "tool_use_result*"): "Claude Code's tool-specific result objects differ per tool; brock sends the tool_result block only",
    ("missing", "user", "message.content[tool_result].content[]*"): "brock sends a tool result as a string",
    ("extra", "user", "message.content[tool_result].content[]*"): "brock sends a tool result as text blocks",
    ("missing", "user", "message.content[text]*"): "Claude Code adds system reminders to tool results",
    ("missing", "user", "isSynthetic"): "Claude Code marks its own injected messages",
    ("missing", "system/status", "*"): "Claude Code's UI status events",
    ("missing", "system/hook_*", "*"): "hook events belong to the hooks engine",
    ("missing", "rate_limit_event", "*"): "Anthropic subscription rate limits do not exist on Bedrock",
    ("missing", "system/session_state_changed", "*"): "Claude Code's remote-session state",
    ("missing", "system/notification", "*"): "Claude Code UI notifications",
    ("missing", "stream_event/*", "event.message.usage.*"): "a partial message carries zero usage in brock",
    ("missing", "stream_event/message_delta", "event.context_management*"): "Anthropic API beta",
    ("missing", "stream_event/message_delta", "event.usage.*"): "brock reports usage on the assistant message and the result",
    ("extra", "stream_event/message_delta", "event.usage.*"): "brock reports the whole usage at the end",
    ("missing", "assistant", "message.container"): "code execution containers are an Anthropic API feature",
    ("missing", "result/*", "first_content_frame_ms"): "Claude Code timing telemetry",
    ("missing", "result/*", "subagent_stats*"): "brock has no subagents",
    ("missing", "system/init", "fast_mode_disabled_reason"): "fast mode is an Anthropic API feature",
    ("missing", "system/init", "capabilities*"): "Claude Code host capabilities (remote control, IDE)",
    ("missing", "system/init", "messaging_socket_path"): "Claude Code's local messaging socket",
    ("missing", "system/init", "product_feedback_disabled"): "brock has no feedback survey",
    ("missing", "system/init", "terminal_slash_commands*"): "only present when a command is terminal-bound; brock's list is not tagged",
    ("missing", "system/init", "ultrathink_*"): "thinking keywords belong to the thinking support",
    ("missing", "system/init", "view_mode"): "Claude Code terminal view mode",
    ("missing", "system/init", "additional_directories*"): "brock lists added directories in the system prompt only",
    ("missing", "stream_event/*", "api_message_id"): "brock builds partial events from the stream as it arrives; the Bedrock message id is on the assistant message",
    ("missing", "user", "tool_result_meta*"): "Claude Code's permission telemetry per tool call",
    ("type", "user", "message.content[tool_result].content"): "brock sends a tool result as text blocks, Claude Code as a string (both are valid Messages API content)",
    ("extra", "user", "message.content[tool_result].content[text]*"): "brock sends a tool result as text blocks",
    ("missing", "stream_event/message_start", "event.message.container"): "code execution containers are an Anthropic API feature",
    ("missing", "system/thinking_tokens", "*"): "Claude Code's UI progress events while the model thinks",
    ("missing", "assistant", "thinking_duration_ms"): "Claude Code timing telemetry",
    ("missing", "stream_event/content_block_delta", "event.delta.signature"): "brock does not repeat a thinking block's signature_delta as a partial event; the signature is in the assistant message's thinking block",
}

TYPE_NAMES = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null",
              int: "number", float: "number"}
FREE_KEYS = {"modelUsage", "model_usage_since_last_result", "input", "startup_timing"}


def kind_of(obj):
    t = obj.get("type", "?")
    if t == "stream_event":
        return "stream_event/" + str(obj.get("event", {}).get("type", "?"))
    if "subtype" in obj:
        return t + "/" + str(obj["subtype"])
    return t


def shape(value, path, out):
    """Adds path -> {types} for value and everything inside it."""
    out.setdefault(path, set()).add(TYPE_NAMES.get(type(value), "other"))
    if isinstance(value, dict):
        for k, v in value.items():
            key = "*" if path.split(".")[-1] in FREE_KEYS else k
            shape(v, (path + "." if path else "") + key, out)
    elif isinstance(value, list):
        for item in value:
            tag = "[]"
            if isinstance(item, dict) and isinstance(item.get("type"), str):
                tag = "[" + item["type"] + "]"
            shape(item, path + tag, out)


def shapes(objects):
    by_kind = {}
    for obj in objects:
        if not isinstance(obj, dict):
            continue
        s = by_kind.setdefault(kind_of(obj), {})
        for k, v in obj.items():
            key = k
            shape(v, key, s)
    return by_kind


def allowed(side, kind, path):
    for (s, kp, pp), reason in ALLOWED.items():
        # '[' is literal in these patterns (paths contain "[tool_result]"); only '*' is a wildcard.
        kp, pp = kp.replace("[", "[[]"), pp.replace("[", "[[]")
        if s == side and fnmatch.fnmatchcase(kind, kp) and fnmatch.fnmatchcase(path, pp):
            return reason
    return None


def compare(label, cc, brock):
    problems, notes = [], []
    for kind in sorted(set(cc) | set(brock)):
        if kind not in brock:
            reason = allowed("missing", kind, "*")
            (notes if reason else problems).append(
                f"{label}: brock prints no '{kind}' object" + (f" (allowed: {reason})" if reason else ""))
            continue
        if kind not in cc:
            reason = allowed("extra", kind, "*")
            (notes if reason else problems).append(
                f"{label}: brock prints '{kind}', Claude Code does not" + (f" (allowed: {reason})" if reason else ""))
            continue
        a, b = cc[kind], brock[kind]
        for path in sorted(set(a) | set(b)):
            if path not in b:
                reason = allowed("missing", kind, path)
                (notes if reason else problems).append(
                    f"{label}: {kind}: brock lacks '{path}' ({'/'.join(sorted(a[path]))})" +
                    (f" (allowed: {reason})" if reason else ""))
            elif path not in a:
                reason = allowed("extra", kind, path)
                (notes if reason else problems).append(
                    f"{label}: {kind}: brock adds '{path}' ({'/'.join(sorted(b[path]))})" +
                    (f" (allowed: {reason})" if reason else ""))
            else:
                ta, tb = a[path] - {"null"}, b[path] - {"null"}
                if ta and tb and not (ta & tb):
                    reason = allowed("type", kind, path)
                    (notes if reason else problems).append(
                        f"{label}: {kind}: '{path}' is {'/'.join(sorted(a[path]))} in Claude Code, "
                        f"{'/'.join(sorted(b[path]))} in brock" + (f" (allowed: {reason})" if reason else ""))
    return problems, notes


def json_lines(text):
    objs = []
    for line in text.splitlines():
        line = line.strip()
        if not line:
            continue
        try:
            objs.append(json.loads(line))
        except ValueError:
            pass
    return objs


def main():
    claude, brock, emulator = os.environ["CLAUDE_BIN"], os.environ["BROCK_BIN"], os.environ["BROCK_EMULATOR_BIN"]
    root = tempfile.mkdtemp(prefix="brock-cc-compare-")
    try:
        project = os.path.join(root, "project")
        os.makedirs(project)
        readme = os.path.join(project, "README.md")
        with open(readme, "w") as f:
            f.write("hello from the readme\n")
        script = {"rules": [
            {"name": "answer", "match": {"model": "sonnet", "tool_result_contains": "hello from the readme"},
             "text": "The README says hello."},
            {"name": "read", "match": {"model": "sonnet", "contains": "Summarize the README"},
             "content": [{"type": "text", "text": "Reading it."},
                         {"type": "tool_use", "name": "Read", "input": {"file_path": readme}}]},
            {"name": "other", "text": "ok"},
        ]}
        script_path = os.path.join(root, "script.json")
        with open(script_path, "w") as f:
            json.dump(script, f)
        port_file = os.path.join(root, "port")
        emu = subprocess.Popen([emulator, "--no-auth", "--port", "0", "--port-file", port_file,
                                "--script", script_path, "--quiet"])
        try:
            for _ in range(200):
                if os.path.exists(port_file):
                    break
                time.sleep(0.05)
            port = open(port_file).read().strip()
            results = {}
            for who, exe in (("claude", claude), ("brock", brock)):
                home = os.path.join(root, "home-" + who)
                os.makedirs(home)
                env = {
                    "PATH": "/usr/bin:/bin", "HOME": home, "TERM": "dumb",
                    "CLAUDE_CODE_USE_BEDROCK": "1", "CLAUDE_CODE_SKIP_BEDROCK_AUTH": "1",
                    "ANTHROPIC_BEDROCK_BASE_URL": "http://127.0.0.1:" + port,
                    "AWS_REGION": "us-east-1", "ANTHROPIC_MODEL": MODEL,
                    "ANTHROPIC_DEFAULT_HAIKU_MODEL": HAIKU, "ANTHROPIC_SMALL_FAST_MODEL": HAIKU,
                    "DISABLE_TELEMETRY": "1", "DISABLE_AUTOUPDATER": "1",
                    "CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC": "1", "DISABLE_ERROR_REPORTING": "1",
                    "AWS_EC2_METADATA_DISABLED": "true",
                }
                for fmt, extra in (("json", []), ("stream-json", ["--verbose", "--include-partial-messages"])):
                    args = [exe, "-p", "Summarize the README file.", "--output-format", fmt] + extra
                    p = subprocess.run(args, cwd=project, env=env, capture_output=True, text=True, timeout=120)
                    objs = json_lines(p.stdout)
                    if p.returncode != 0 or not objs:
                        print(f"FAIL: {who} --output-format {fmt} exited {p.returncode}")
                        print("stdout:", p.stdout[-2000:])
                        print("stderr:", p.stderr[-2000:])
                        return 1
                    results[(who, fmt)] = objs
                    print(f"{who} --output-format {fmt}: {len(objs)} objects: " +
                          ", ".join(kind_of(o) for o in objs if isinstance(o, dict) and o.get("type") != "stream_event"))
        finally:
            emu.terminate()
            emu.wait()
        problems, notes = [], []
        for fmt in ("json", "stream-json"):
            p, n = compare(fmt, shapes(results[("claude", fmt)]), shapes(results[("brock", fmt)]))
            problems += p
            notes += n
        for n in notes:
            print("note:", n)
        for p in problems:
            print("DIFF:", p)
        if problems:
            print(f"FAIL: {len(problems)} differences not in the allowed list")
            return 1
        print("PASS: every field Claude Code prints is in brock's output with the same type")
        return 0
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
