// The AWS SDK for JavaScript v3 (@aws-sdk/client-bedrock-runtime) against brock-emulator:
// both runtime operations with SigV4 verified, a wrong secret, an expired token, a scripted
// ThrottlingException, a mid-stream exception frame, and a Bedrock API key (bearer token).
// Run by js_sdk_emulator_test.sh.
import { spawn } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  BedrockRuntimeClient,
  InvokeModelCommand,
  InvokeModelWithResponseStreamCommand,
} from "@aws-sdk/client-bedrock-runtime";
import { NodeHttpHandler } from "@smithy/node-http-handler";

// This client defaults to HTTP/2 (for its bidirectional operation); the emulator speaks
// HTTP/1.1, as Bedrock also does for these two operations, so use the HTTP/1.1 handler.
const http1 = () => new NodeHttpHandler();

const EMULATOR = process.env.BROCK_EMULATOR_BIN;
const KEY_ID = "AKIDJSORACLE";
const SECRET = "jsOracleSecret/0123456789abcdefghijklmnop";
const EXPIRED = "expired-js-session-token-0123456789";
const BEARER = "ABSKQmVkcm9ja0FQSUtleS1lbXVsYXRvcg==";
const MODEL = "us.anthropic.claude-sonnet-4-6";
const GARDEN = "Which state is the Garden State? Answer in one sentence.";
const SCRIPT = {
  rules: [
    { name: "throttle", match: { contains: "please throttle" },
      error: { type: "ThrottlingException", message: "Too many requests, slow down." } },
    { name: "midstream", match: { contains: "break the stream" }, text: "one two three four five six",
      exception_frame: { type: "throttlingException", message: "stream throttled", after_events: 3 } },
  ],
};

function fail(msg) {
  console.log("FAIL: " + msg);
  process.exit(1);
}

async function startEmulator(dir) {
  const scriptFile = path.join(dir, "script.json");
  const fallbackRule = { name: "fallback", match: {}, text: "unused" };
  // The built-in Garden State answer comes from a rule that matches it.
  SCRIPT.rules.push({ name: "garden", match: { regex: "Garden State" },
                      text: "New Jersey is known as the Garden State." }, fallbackRule);
  fs.writeFileSync(scriptFile, JSON.stringify(SCRIPT));
  const portFile = path.join(dir, "port");
  const child = spawn(EMULATOR, ["--port", "0", "--port-file", portFile, "--quiet",
    "--access-key", `${KEY_ID}:${SECRET}`, "--expired-token", EXPIRED,
    "--bearer-token", BEARER, "--script", scriptFile], { stdio: ["ignore", "inherit", "inherit"] });
  const deadline = Date.now() + 10000;
  while (!fs.existsSync(portFile)) {
    if (child.exitCode !== null || Date.now() > deadline) fail("emulator did not start");
    await new Promise((r) => setTimeout(r, 20));
  }
  return { child, port: Number(fs.readFileSync(portFile, "utf8").trim()) };
}

function client(port, creds = {}) {
  return new BedrockRuntimeClient({
    region: "us-east-1",
    endpoint: `http://127.0.0.1:${port}`,
    maxAttempts: 1,
    requestHandler: http1(),
    credentials: { accessKeyId: KEY_ID, secretAccessKey: SECRET, ...creds },
  });
}

const body = (prompt) => JSON.stringify({ anthropic_version: "bedrock-2023-05-31", max_tokens: 100,
  messages: [{ role: "user", content: prompt }] });

async function expectError(promise, name, status) {
  try {
    await promise;
  } catch (e) {
    if (e.name !== name) fail(`expected ${name}, got ${e.name}: ${e.message}`);
    if (status && e.$metadata?.httpStatusCode !== status) fail(`${name} status ${e.$metadata?.httpStatusCode}`);
    return e;
  }
  fail(`expected ${name}, got success`);
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "brock-js-oracle-"));
  const { child, port } = await startEmulator(dir);
  try {
    const c = client(port);
    const r = await c.send(new InvokeModelCommand({ modelId: MODEL, body: body(GARDEN),
      contentType: "application/json", accept: "application/json" }));
    const msg = JSON.parse(new TextDecoder().decode(r.body));
    if (!msg.content[0].text.includes("New Jersey")) fail("InvokeModel text: " + JSON.stringify(msg));
    if (msg.model !== "claude-sonnet-4-6") fail("model name " + msg.model);
    console.log("ok InvokeModelCommand: " + msg.content[0].text);

    const s = await c.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL, body: body(GARDEN) }));
    const events = [];
    for await (const ev of s.body) {
      if (!ev.chunk) fail("unexpected stream member " + JSON.stringify(Object.keys(ev)));
      events.push(JSON.parse(new TextDecoder().decode(ev.chunk.bytes)));
    }
    const text = events.filter((e) => e.type === "content_block_delta").map((e) => e.delta.text);
    if (events[0].type !== "message_start" || events.at(-1).type !== "message_stop") {
      fail("event order " + events.map((e) => e.type));
    }
    if (text.length < 2 || text.join("") !== "New Jersey is known as the Garden State.") {
      fail("deltas " + JSON.stringify(text));
    }
    if (!(events.at(-1)["amazon-bedrock-invocationMetrics"]?.inputTokenCount > 0)) fail("metrics missing");
    console.log(`ok InvokeModelWithResponseStreamCommand: ${events.length} events, ${text.length} deltas`);

    await expectError(client(port, { secretAccessKey: "wrong" + SECRET }).send(
      new InvokeModelCommand({ modelId: MODEL, body: body(GARDEN) })), "InvalidSignatureException", 403);
    console.log("ok wrong secret -> InvalidSignatureException");
    await expectError(client(port, { sessionToken: EXPIRED }).send(
      new InvokeModelCommand({ modelId: MODEL, body: body(GARDEN) })), "ExpiredTokenException", 403);
    console.log("ok expired token -> ExpiredTokenException");
    await expectError(c.send(new InvokeModelCommand({ modelId: MODEL, body: body("please throttle") })),
      "ThrottlingException", 429);
    console.log("ok scripted ThrottlingException (429)");
    await expectError(c.send(new InvokeModelCommand({ modelId: "amazon.titan-text-express-v1", body: body("x") })),
      "ValidationException", 400);
    console.log("ok unknown model -> ValidationException");

    const broken = await c.send(new InvokeModelWithResponseStreamCommand({ modelId: MODEL,
      body: body("break the stream") }));
    let n = 0;
    await expectError((async () => { for await (const ev of broken.body) n++; })(), "ThrottlingException");
    if (n !== 3) fail(`mid-stream exception after ${n} events, want 3`);
    console.log("ok mid-stream exception frame -> ThrottlingException after 3 events");

    // Bedrock API key: the SDK's bearer auth scheme, when this SDK version has it.
    try {
      const b = new BedrockRuntimeClient({ region: "us-east-1", endpoint: `http://127.0.0.1:${port}`,
        maxAttempts: 1, requestHandler: http1(), token: { token: BEARER }, authSchemePreference: ["httpBearerAuth"] });
      const br = await b.send(new InvokeModelCommand({ modelId: MODEL, body: body(GARDEN) }));
      if (!new TextDecoder().decode(br.body).includes("New Jersey")) fail("bearer reply");
      console.log("ok bearer token (Bedrock API key) accepted");
      await expectError(new BedrockRuntimeClient({ region: "us-east-1", endpoint: `http://127.0.0.1:${port}`,
        maxAttempts: 1, requestHandler: http1(), token: { token: "ABSK-wrong-key" }, authSchemePreference: ["httpBearerAuth"] })
        .send(new InvokeModelCommand({ modelId: MODEL, body: body(GARDEN) })), "AccessDeniedException", 403);
      console.log("ok wrong bearer token -> AccessDeniedException");
    } catch (e) {
      fail("bearer token: " + e.name + ": " + e.message);
    }
  } finally {
    child.kill("SIGTERM");
  }
  const code = await new Promise((r) => child.exitCode !== null ? r(child.exitCode) : child.on("exit", r));
  if (code !== 0) fail("emulator exit code " + code);
  console.log("js sdk oracle: all checks passed");
}

main().catch((e) => fail(e.stack || String(e)));
