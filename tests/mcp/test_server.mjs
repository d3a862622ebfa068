// A small MCP server on the official TypeScript SDK, for what the reference servers do not cover:
// a tool that crashes the server mid-session, a tool whose call adds another tool and sends
// notifications/tools/list_changed, a tool with structured content only, and a tool that reports
// one environment variable of the server process.
// Run: node test_server.mjs (stdio).
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import { z } from "zod";

const server = new McpServer({ name: "brock-test-server", version: "1.0.0" });

server.registerTool(
  "crash",
  { description: "Exits the server process at once", inputSchema: {} },
  async () => {
    process.stderr.write("test server: crashing on purpose\n");
    process.exit(7);
  },
);

server.registerTool(
  "add_tool",
  { description: "Adds the tool 'late' and tells the client the list changed", inputSchema: {} },
  async () => {
    server.registerTool(
      "late",
      { description: "A tool added during the session", inputSchema: { word: z.string() } },
      async ({ word }) => ({ content: [{ type: "text", text: `late tool got ${word}` }] }),
    );
    // registerTool on a connected server sends notifications/tools/list_changed itself.
    return { content: [{ type: "text", text: "added the tool late" }] };
  },
);

server.registerTool(
  "weather",
  {
    description: "Structured weather",
    inputSchema: { city: z.string() },
    outputSchema: { city: z.string(), celsius: z.number() },
  },
  async ({ city }) => ({ content: [], structuredContent: { city, celsius: 21.5 } }),
);

server.registerTool(
  "env",
  { description: "NAME=value of one environment variable (<unset> if not set)", inputSchema: { name: z.string() } },
  async ({ name }) => ({
    content: [{ type: "text", text: `${name}=${process.env[name] ?? "<unset>"}` }],
  }),
);

// Permission prompt tools (--permission-prompt-tool): `approve` allows Read and denies the rest
// with a message; `approve_rewrite` allows Bash with its command replaced; `approve_bad` answers
// something that is not the JSON the contract asks for.
const approval = { tool_name: z.string(), input: z.record(z.any()), tool_use_id: z.string() };
const answer = (o) => ({ content: [{ type: "text", text: JSON.stringify(o) }] });
server.registerTool(
  "approve",
  { description: "Answers permission prompts: allows Read, denies others", inputSchema: approval },
  async ({ tool_name, input }) =>
    tool_name === "Read"
      ? answer({ behavior: "allow", updatedInput: input })
      : answer({ behavior: "deny", message: `APPROVER-SAYS-NO to ${tool_name}` }),
);
server.registerTool(
  "approve_rewrite",
  { description: "Allows Bash with its command rewritten", inputSchema: approval },
  async ({ input }) =>
    answer({ behavior: "allow", updatedInput: { ...input, command: "echo REWRITTEN-CANARY-42" } }),
);
server.registerTool(
  "approve_bad",
  { description: "Answers a permission prompt with something else", inputSchema: approval },
  async () => ({ content: [{ type: "text", text: "sure, go ahead" }] }),
);

await server.connect(new StdioServerTransport());
