// AWS error responses turned into brock Errors: JSON-protocol services (Bedrock runtime and
// control plane, SSO, SSO-OIDC), event-stream exception messages inside a Bedrock stream, and
// query-protocol XML (STS).
//
// Every result has code "aws.<Type>" (the AWS error type without namespace, e.g.
// "aws.AccessDeniedException", "aws.ExpiredToken"), the HTTP status (0 for stream exceptions,
// which arrive inside a 200 response), a one-line message "<Type>: <AWS message>", a generic fix
// (callers such as bedrock/bedrock_errors.h replace it with one that fits the context), and
// `retryable` set for throttling and transient server faults.
#pragma once

#include <string>
#include <string_view>

#include "aws/eventstream.h"
#include "base/error.h"
#include "net/http_client.h"

namespace brock {

// Parses an AWS JSON-protocol error response (Bedrock, SSO, SSO-OIDC): type from the
// x-amzn-ErrorType header (strip everything after ':'), else the body's "__type" (strip the
// "namespace#" prefix) or "code" (or SSO-OIDC's snake_case "error", as "AuthorizationPending"
// + "Exception"); message from body "message" or "Message" (or "error_description"). A body with
// no recognizable type (an HTML page from a proxy, an empty body) yields "aws.UnknownError" with
// the HTTP status and the start of the body in the message. retryable is set for the types
// IsRetryableAwsErrorType accepts and the statuses IsRetryableHttpStatus accepts.
Error ParseAwsJsonError(int http_status, const HttpHeaders& headers, std::string_view body);

// An event-stream message with ":message-type" = "exception" (":exception-type" names it:
// throttlingException, modelStreamErrorException, validationException, ...) or "error"
// (":error-code" / ":error-message") becomes an Error with code "aws.<Type with the first letter
// upper-cased>" ("aws.ThrottlingException") and message from the payload's "message" (or
// ":error-message"). Any other message yields code "aws.UnexpectedEvent".
Error ErrorFromEventMessage(const EventMessage& message);

// Parses an AWS query-protocol XML error (STS):
// <ErrorResponse><Error><Code>..</Code><Message>..</Message></Error></ErrorResponse>
// (a bare <Error> root is accepted too). Unparseable bodies fall back to the HTTP status as in
// ParseAwsJsonError.
Error ParseAwsXmlError(int http_status, std::string_view body);

// True for AWS error types worth retrying: ThrottlingException, TooManyRequestsException,
// ServiceUnavailableException, InternalServerException, ModelNotReadyException,
// ModelStreamErrorException and their query-protocol cousins (Throttling, RequestLimitExceeded,
// ServiceUnavailable, InternalFailure, InternalError, RequestTimeout...).
bool IsRetryableAwsErrorType(std::string_view type);

// True for HTTP statuses worth retrying: 429, 500, 502, 503, 504.
bool IsRetryableHttpStatus(int http_status);

}  // namespace brock
