// Error codes that more than one module produces or branches on, as named constants, and the
// predicates callers use instead of comparing strings. A code is stable: users and scripts see
// it (stream-json results, --debug), so a constant's value never changes.
//
// AWS service errors keep the service's exception name after "aws." ("aws.AccessDeniedException");
// test them with IsAwsException.
#pragma once

#include <string_view>

#include "base/error.h"

namespace brock::errc {

inline constexpr char kIoNotFound[] = "io.not_found";      // a file that does not exist
inline constexpr char kIoNotRegular[] = "io.not_regular";  // a FIFO, device or socket
inline constexpr char kPathNotFound[] = "path.not_found";  // a tool's path that does not exist
inline constexpr char kNetCancelled[] = "net.cancelled";   // the user interrupted a transfer
inline constexpr char kNetConnect[] = "net.connect";       // no connection to the endpoint
inline constexpr char kNetTls[] = "net.tls";               // TLS handshake or certificate failure
inline constexpr char kAgentInterrupted[] = "agent.interrupted";      // the user stopped a turn
inline constexpr char kHookPromptBlocked[] = "hooks.prompt_blocked";  // UserPromptSubmit blocked
inline constexpr char kRegionMissing[] = "region.missing";            // no AWS region anywhere
inline constexpr char kEmulatorUsage[] = "emulator.usage";            // bad brock-emulator flags
inline constexpr char kStsAccessDenied[] = "sts.access_denied";
inline constexpr char kStsExpiredToken[] = "sts.expired_token";
inline constexpr char kStsInvalidCredentials[] = "sts.invalid_credentials";
inline constexpr char kSsoLoginRequired[] = "sso.login_required";  // no SSO token cached
inline constexpr char kSsoLoginExpired[] = "sso.login_expired";    // the SSO token ran out
inline constexpr char kProcessExpired[] = "process.expired";  // credential_process keys expired
inline constexpr char kExportExpired[] = "export.expired";    // awsCredentialExport keys expired
// MCP servers (src/mcp/).
inline constexpr char kMcpConfig[] = "mcp.config";       // a malformed server definition or file
inline constexpr char kMcpStart[] = "mcp.start";         // a server could not be started
inline constexpr char kMcpTimeout[] = "mcp.timeout";     // a server did not answer in time
inline constexpr char kMcpClosed[] = "mcp.closed";       // the connection to a server ended
inline constexpr char kMcpProtocol[] = "mcp.protocol";   // a server broke the protocol
inline constexpr char kMcpServerError[] = "mcp.server";  // a server answered with a JSON-RPC error
inline constexpr char kMcpHttp[] = "mcp.http";           // an HTTP server answered with an error
inline constexpr char kMcpNeedsAuth[] = "mcp.needs_auth";  // a remote server wants an OAuth sign-in
inline constexpr char kMcpOAuth[] = "mcp.oauth";           // the OAuth sign-in or refresh failed

// True when `e` has exactly `code`.
inline bool Is(const Error& e, std::string_view code) { return e.code == code; }
// A transport failure (any "net." code).
inline bool IsNetwork(const Error& e) { return std::string_view(e.code).substr(0, 4) == "net."; }
// An error answer from an AWS service (any "aws." code).
inline bool IsAws(const Error& e) { return std::string_view(e.code).substr(0, 4) == "aws."; }
// The AWS service answered with exception `type` ("AccessDeniedException").
inline bool IsAwsException(const Error& e, std::string_view type) {
  std::string_view code = e.code;
  return code.size() == type.size() + 4 && code.substr(0, 4) == "aws." && code.substr(4) == type;
}

}  // namespace brock::errc
