// StdioTransport: an MCP server as a child process (the specification's stdio transport). brock
// writes one JSON-RPC message per line to the child's stdin and reads one per line from its
// stdout; whatever the child writes to stderr is kept (the last few KiB) for error messages and
// never parsed. The child runs in its own process group, with the current environment plus the
// server's `env`; Close closes its stdin, then ends the whole group (SIGTERM, then SIGKILL).
#pragma once

#include <sys/types.h>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "mcp/mcp_transport.h"

namespace brock {

struct StdioServerSpec {
  std::string command;                     // program (looked up on PATH)
  std::vector<std::string> args;           // its arguments
  std::map<std::string, std::string> env;  // the complete environment of the child
  std::string cwd;                         // empty: inherit
};

class StdioTransport : public McpTransport {
 public:
  explicit StdioTransport(StdioServerSpec spec);
  ~StdioTransport() override;

  Status Start(MessageHandler on_message, CloseHandler on_close) override;
  Status Send(const Json& message) override;
  void Close() override;
  std::string Diagnostics() const override;

  // The child's process id (0 before Start): for tests.
  pid_t pid() const { return pid_; }

 private:
  void ReadStdout(int fd);
  void ReadStderr(int fd);

  StdioServerSpec spec_;
  MessageHandler on_message_;
  CloseHandler on_close_;
  pid_t pid_ = 0;
  int stdin_fd_ = -1;
  std::mutex write_mu_;
  mutable std::mutex stderr_mu_;
  std::string stderr_tail_;
  std::atomic<bool> closing_{false};
  std::thread stdout_thread_, stderr_thread_;
  int exit_status_ = -1;
  bool reaped_ = false;
  std::mutex reap_mu_;
  // Waits for the child (non-blocking unless `block`); returns true once reaped.
  bool Reap(bool block);
};

}  // namespace brock
