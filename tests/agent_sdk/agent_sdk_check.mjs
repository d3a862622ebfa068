// The official TypeScript Agent SDK (@anthropic-ai/claude-agent-sdk) drives brock through
// pathToClaudeCodeExecutable against brock-emulator on 127.0.0.1: a query with a result,
// multi-turn streaming input, canUseTool allowing one tool and denying another, an interrupt
// mid-turn, a PreToolUse hook callback, an in-process SDK MCP server tool, and session resume.
// Prints one line per scenario; exits 1 on the first failure.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { query, createSdkMcpServer, tool } from "@anthropic-ai/claude-agent-sdk";
import { z } from "zod";

const BROCK = process.env.BROCK_BIN;
const EMULATOR = process.env.BROCK_EMULATOR_BIN;
const KEY_ID = "AKIDAGENTSDKEXAMPLE";
const SECRET = "agentSdkSecretKeyForTheEmulatorOnly000000";

function fail(msg) {
  console.log(`FAIL: ${msg}`);
  process.exitCode = 1;
  throw new Error(msg);
}
function check(cond, msg) { if (!cond) fail(msg); }

const root = fs.mkdtempSync(path.join(os.tmpdir(), "brock-agent-sdk-"));
const home = path.join(root, "home");
const project = path.join(home, "project");
fs.mkdirSync(path.join(home, ".claude"), { recursive: true });
fs.mkdirSync(path.join(home, ".aws"), { recursive: true });
fs.mkdirSync(project, { recursive: true });
fs.writeFileSync(path.join(home, ".claude", "settings.json"), JSON.stringify({
  env: { CLAUDE_CODE_USE_BEDROCK: "1", AWS_REGION: "us-east-1", AWS_PROFILE: "dev" } }));
fs.writeFileSync(path.join(home, ".aws", "credentials"),
  `[dev]\naws_access_key_id = ${KEY_ID}\naws_secret_access_key = ${SECRET}\n`);

const script = { rules: [
  { name: "capital", match: { contains: "capital of France" }, text: "Paris is the capital of France." },
  { name: "turn-1", match: { contains: "first turn" }, text: "Reply one." },
  { name: "turn-2", match: { contains: "second turn" }, text: "Reply two." },
  { name: "files", match: { contains: "make two files" }, content: [
    { type: "tool_use", name: "Write", input: { file_path: path.join(project, "allowed.txt"), content: "ok\n" } },
    { type: "tool_use", name: "Bash", input: { command: "touch denied.txt", description: "Make a file" } }] },
  { name: "files-done", match: { tool_result_contains: "did not allow" }, text: "Wrote one file." },
  { name: "slow", match: { contains: "tell a long story" },
    text: "Once upon a time " + "there was a very long story that went on and on ".repeat(10),
    delay_ms_per_event: 300 },
  { name: "hooked", match: { contains: "run the hooked command" }, content: [
    { type: "tool_use", name: "Bash", input: { command: "echo from-bash", description: "Echo" } }] },
  { name: "hooked-done", match: { tool_result_contains: "no bash today" }, text: "The hook stopped it." },
  { name: "mcp", match: { contains: "add two and three" }, content: [
    { type: "tool_use", name: "mcp__calc__add", input: { a: 2, b: 3 } }] },
  { name: "mcp-done", match: { tool_result_contains: "sum=5" }, text: "The sum is 5." },
  { name: "remember", match: { contains: "remember the word" }, text: "Noted." },
  { name: "recall", match: { contains: "which word" }, text: "You asked me to remember a word." },
] };
fs.writeFileSync(path.join(root, "script.json"), JSON.stringify(script));

const portFile = path.join(root, "port");
const requestLog = path.join(root, "requests.jsonl");
const emulator = spawn(EMULATOR, ["--port", "0", "--port-file", portFile, "--quiet",
  "--access-key", `${KEY_ID}:${SECRET}`, "--script", path.join(root, "script.json"),
  "--request-log", requestLog], { stdio: ["ignore", "inherit", "inherit"] });
for (let i = 0; i < 200 && !fs.existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 50));
check(fs.existsSync(portFile), "the emulator did not start");
const port = Number(fs.readFileSync(portFile, "utf8").trim());

const env = { HOME: home, PATH: process.env.PATH,
  ANTHROPIC_BEDROCK_BASE_URL: `http://127.0.0.1:${port}`, AWS_EC2_METADATA_DISABLED: "true" };
const base = { pathToClaudeCodeExecutable: BROCK, cwd: project, env, stderr: (d) => process.stderr.write(d) };

async function collect(q) {
  const messages = [];
  for await (const m of q) messages.push(m);
  return messages;
}
function resultOf(messages) { return messages.filter((m) => m.type === "result").at(-1); }

// A prompt stream the test feeds one user message at a time.
function inputStream() {
  const queue = []; let wake = null; let done = false;
  return {
    push(text) { queue.push({ type: "user", message: { role: "user", content: text },
      parent_tool_use_id: null, session_id: "" }); wake?.(); },
    end() { done = true; wake?.(); },
    async *[Symbol.asyncIterator]() {
      for (;;) {
        if (queue.length) { yield queue.shift(); continue; }
        if (done) return;
        await new Promise((r) => { wake = r; });
        wake = null;
      }
    },
  };
}

const scenarios = {
  async "query with a result"() {
    const messages = await collect(query({ prompt: "What is the capital of France?", options: base }));
    const r = resultOf(messages);
    check(r && r.subtype === "success" && !r.is_error, `result: ${JSON.stringify(r)}`);
    check(r.result === "Paris is the capital of France.", `result text: ${r.result}`);
    check(messages.some((m) => m.type === "system" && m.subtype === "init"), "no system/init message");
    check(messages.some((m) => m.type === "assistant"), "no assistant message");
  },

  async "multi-turn streaming input"() {
    const input = inputStream();
    const q = query({ prompt: input, options: base });
    input.push("This is the first turn.");
    const results = [];
    for await (const m of q) {
      if (m.type !== "result") continue;
      results.push(m);
      if (results.length === 1) input.push("And the second turn.");
      else input.end();
    }
    check(results.length === 2, `expected 2 results, got ${results.length}`);
    check(results[0].result === "Reply one." && results[1].result === "Reply two.",
      `results: ${results.map((r) => r.result)}`);
    check(results[0].session_id === results[1].session_id, "the turns ran in different sessions");
  },

  async "canUseTool allows one tool and denies another"() {
    const asked = [];
    const messages = await collect(query({ prompt: "Please make two files.", options: { ...base,
      canUseTool: async (toolName, input) => {
        asked.push(toolName);
        return toolName === "Write" ? { behavior: "allow", updatedInput: input }
                                    : { behavior: "deny", message: "no shell commands" };
      } } }));
    const r = resultOf(messages);
    check(r && r.result === "Wrote one file.", `result: ${JSON.stringify(r)}`);
    check(asked.includes("Write") && asked.includes("Bash"), `asked about: ${asked}`);
    check(fs.readFileSync(path.join(project, "allowed.txt"), "utf8") === "ok\n", "allowed.txt missing");
    check(!fs.existsSync(path.join(project, "denied.txt")), "the denied command ran");
    check(r.permission_denials.some((d) => d.tool_name === "Bash"), "Bash not in permission_denials");
  },

  async "interrupt mid-turn"() {
    const input = inputStream();
    const q = query({ prompt: input, options: base });
    input.push("Please tell a long story.");
    let interruptedAt = 0; let result = null;
    for await (const m of q) {
      if (m.type === "stream_event" || m.type === "assistant" || m.type === "system") {
        if (!interruptedAt && m.type === "system") {
          setTimeout(() => { interruptedAt = Date.now(); q.interrupt().catch((e) => fail(`interrupt: ${e}`)); }, 1500);
        }
      }
      if (m.type === "result") { result = m; input.end(); }
    }
    check(interruptedAt > 0, "the interrupt was never sent");
    check(result && result.is_error, `the interrupted turn's result: ${JSON.stringify(result)}`);
    check(Date.now() - interruptedAt < 5000, "the turn did not stop soon after the interrupt");
  },

  async "PreToolUse hook callback"() {
    const seen = [];
    const messages = await collect(query({ prompt: "Please run the hooked command.", options: { ...base,
      allowedTools: ["Bash(echo:*)"],
      hooks: { PreToolUse: [{ matcher: "Bash", hooks: [async (input) => {
        seen.push(input);
        return { hookSpecificOutput: { hookEventName: "PreToolUse", permissionDecision: "deny",
          permissionDecisionReason: "no bash today" } };
      }] }] } } }));
    const r = resultOf(messages);
    check(seen.length === 1, `hook calls: ${seen.length}`);
    check(seen[0].hook_event_name === "PreToolUse" && seen[0].tool_name === "Bash" &&
      seen[0].tool_input.command === "echo from-bash", `hook input: ${JSON.stringify(seen[0])}`);
    check(r && r.result === "The hook stopped it.", `result: ${JSON.stringify(r)}`);
  },

  async "SDK MCP server tool"() {
    let calls = 0;
    const calc = createSdkMcpServer({ name: "calc", version: "1.0.0", tools: [
      tool("add", "Adds two numbers", { a: z.number(), b: z.number() }, async ({ a, b }) => {
        calls++;
        return { content: [{ type: "text", text: `sum=${a + b}` }] };
      })] });
    const messages = await collect(query({ prompt: "Please add two and three.", options: { ...base,
      mcpServers: { calc }, allowedTools: ["mcp__calc__add"] } }));
    const r = resultOf(messages);
    const init = messages.find((m) => m.type === "system" && m.subtype === "init");
    check(init && init.tools.includes("mcp__calc__add"), `init tools: ${JSON.stringify(init?.tools)}`);
    check(calls === 1, `the tool ran ${calls} times`);
    check(r && r.result === "The sum is 5.", `result: ${JSON.stringify(r)}`);
  },

  async "session resume"() {
    const first = resultOf(await collect(query({ prompt: "Please remember the word banana.", options: base })));
    check(first && first.result === "Noted.", `first result: ${JSON.stringify(first)}`);
    const second = resultOf(await collect(query({ prompt: "Now, which word was it?",
      options: { ...base, resume: first.session_id } })));
    check(second && second.result === "You asked me to remember a word.", `second: ${JSON.stringify(second)}`);
    check(second.session_id === first.session_id, "resume started a new session");
    const last = fs.readFileSync(requestLog, "utf8").trim().split("\n").map((l) => JSON.parse(l)).at(-1);
    const body = JSON.parse(last.body);
    check(JSON.stringify(body.messages).includes("remember the word banana"),
      "the resumed request does not carry the earlier conversation");
  },
};

const only = process.argv[2];
try {
  for (const [name, run] of Object.entries(scenarios)) {
    if (only && !name.includes(only)) continue;
    const t = Date.now();
    await run();
    console.log(`ok: ${name} (${Date.now() - t} ms)`);
  }
  console.log("PASS");
} catch (e) {
  if (!process.exitCode) { console.log(`FAIL: ${e.stack || e}`); process.exitCode = 1; }
} finally {
  emulator.kill();
  fs.rmSync(root, { recursive: true, force: true });
}
