// An MCP server that requires OAuth, on the official TypeScript SDK's server-side auth helpers:
// one express app on 127.0.0.1 that is both the authorization server (mcpAuthRouter: metadata,
// dynamic client registration, /authorize, /token) and the protected resource (/mcp behind
// requireBearerAuth, whose 401 carries WWW-Authenticate: Bearer resource_metadata=...).
// /authorize approves at once (the SDK's demo provider), so a "browser" that follows redirects
// completes the sign-in. Access tokens live TOKEN_SECONDS (env, default 3600) and come with
// refresh tokens.
// Run: node oauth_test_server.mjs PORT_FILE LOG_FILE
import { randomUUID } from "node:crypto";
import { appendFileSync, writeFileSync } from "node:fs";
import express from "express";
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import { StreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/streamableHttp.js";
import { mcpAuthRouter, getOAuthProtectedResourceMetadataUrl } from "@modelcontextprotocol/sdk/server/auth/router.js";
import { requireBearerAuth } from "@modelcontextprotocol/sdk/server/auth/middleware/bearerAuth.js";
import { InvalidGrantError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import { DemoInMemoryAuthProvider } from "@modelcontextprotocol/sdk/examples/server/demoInMemoryOAuthProvider.js";

const [portFile, logFile] = process.argv.slice(2);
const lifetime = Number(process.env.TOKEN_SECONDS || 3600);
const log = (line) => appendFileSync(logFile, line + "\n");

class RefreshingProvider extends DemoInMemoryAuthProvider {
  constructor(validateResource) {
    super(validateResource);
    this.refreshTokens = new Map();
  }
  issue(clientId, scopes, resource) {
    const token = randomUUID();
    this.tokens.set(token, {
      token, clientId, scopes, resource, type: "access", expiresAt: Date.now() + lifetime * 1000,
    });
    const refresh = randomUUID();
    this.refreshTokens.set(refresh, { clientId, scopes, resource });
    return {
      access_token: token, token_type: "bearer", expires_in: lifetime, refresh_token: refresh,
      scope: scopes.join(" "),
    };
  }
  async exchangeAuthorizationCode(client, code, verifier) {
    const first = await super.exchangeAuthorizationCode(client, code, verifier);
    const data = this.tokens.get(first.access_token);
    this.tokens.delete(first.access_token);
    log(`code exchanged resource=${data.resource}`);
    return this.issue(client.client_id, data.scopes, data.resource);
  }
  async exchangeRefreshToken(client, refreshToken) {
    const data = this.refreshTokens.get(refreshToken);
    if (!data || data.clientId !== client.client_id) throw new InvalidGrantError("unknown refresh token");
    this.refreshTokens.delete(refreshToken);
    log("refreshed");
    return this.issue(client.client_id, data.scopes, data.resource);
  }
}

const app = express();
const listener = app.listen(0, "127.0.0.1", () => {
  const origin = `http://127.0.0.1:${listener.address().port}`;
  const mcpUrl = new URL(`${origin}/mcp`);
  const provider = new RefreshingProvider((resource) => resource?.toString() === mcpUrl.href);
  app.use(mcpAuthRouter({ provider, issuerUrl: new URL(origin), resourceServerUrl: mcpUrl,
                          scopesSupported: ["mcp:tools"] }));
  const auth = requireBearerAuth({
    verifier: provider, requiredScopes: [],
    resourceMetadataUrl: getOAuthProtectedResourceMetadataUrl(mcpUrl),
  });
  app.post("/mcp", express.json(), auth, async (req, res) => {
    const server = new McpServer({ name: "brock-oauth-test-server", version: "1.0.0" });
    server.registerTool("whoami", { description: "Says which OAuth client called", inputSchema: {} },
      async (_args, extra) => ({
        content: [{ type: "text", text: `signed in as a client with scopes [${extra.authInfo?.scopes?.join(" ")}]` }],
      }));
    const transport = new StreamableHTTPServerTransport({ sessionIdGenerator: undefined });
    res.on("close", () => { transport.close(); server.close(); });
    await server.connect(transport);
    await transport.handleRequest(req, res, req.body);
  });
  app.get("/mcp", auth, (_req, res) => res.status(405).end());
  app.delete("/mcp", auth, (_req, res) => res.status(405).end());
  writeFileSync(portFile, String(listener.address().port));
});
