// McpTransport: how JSON-RPC messages travel between brock and one MCP server. Three
// implementations follow the specification's transports: stdio (a child process speaking
// newline-delimited JSON, stdio_transport.h), Streamable HTTP (http_transport.h) and the legacy
// HTTP+SSE transport (sse_transport.h). Tests use an in-process fake.
//
// Contract: Start once; then Send from any thread. Every message the server sends (responses,
// notifications, requests) is handed to the MessageHandler, possibly from a transport thread and
// possibly before Send returns (HTTP answers a POST in its response). The CloseHandler runs at
// most once, when the connection ends for a reason other than Close (the process exited, the
// stream broke), with a one-line reason. Close ends the connection and stops every thread; after
// it no handler runs.
#pragma once

#include <functional>
#include <string>

#include "base/error.h"
#include "base/json.h"

namespace brock {

class McpTransport {
 public:
  using MessageHandler = std::function<void(Json message)>;
  using CloseHandler = std::function<void(const std::string& reason)>;

  virtual ~McpTransport() = default;
  // Connects (starts the process, opens the stream). Fails with a clear Error when it cannot.
  virtual Status Start(MessageHandler on_message, CloseHandler on_close) = 0;
  // Sends one JSON-RPC message.
  virtual Status Send(const Json& message) = 0;
  // Ends the connection; idempotent.
  virtual void Close() = 0;
  // Called once initialization negotiated `version` (HTTP sends it as MCP-Protocol-Version).
  virtual void SetProtocolVersion(const std::string& version) {}
  // What the server wrote on the side (a process's stderr tail), for error messages; may be "".
  virtual std::string Diagnostics() const { return {}; }
};

}  // namespace brock
