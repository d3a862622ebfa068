// AWS Signature Version 4: signing requests (Authorization header or presigned query string) and,
// for the Bedrock emulator, verifying them.
//
// The canonical request follows the AWS specification and passes every case of the AWS SigV4
// test suite (aws-c-auth, tests/aws-signing-test-suite/v4):
//   - path: dot segments and empty segments removed when normalize_path (a trailing '/' kept),
//     then each byte not unreserved percent-encoded ('/' kept) when double_encode_path. brock's
//     URLs are already encoded on the wire, so a Bedrock model id "a:b" travels as "a%3Ab" and
//     is signed as "a%253Ab", exactly as botocore and the AWS SDKs do.
//   - query: every "k=v" pair percent-decoded, re-encoded ('/' too), sorted by key then value.
//   - headers: names lowercased; values trimmed, internal whitespace runs (including the line
//     breaks of folded headers) collapsed to one space; repeated headers joined with ',' in
//     order; sorted by name.
//   - payload: hex SHA-256 of the body.
// Headers that proxies and HTTP stacks rewrite (User-Agent, Expect, Transfer-Encoding,
// X-Amzn-Trace-Id) are never signed, like botocore; every other header present is.
//
// Speed: the derived signing key is cached per thread (keyed by secret, date, region, service),
// and the hashing goes straight to OpenSSL's SHA-256 without per-call lookups; signing a
// Bedrock request with a 4 KB body takes a few microseconds (bench/sigv4_bench.cc).
#pragma once

#include <chrono>
#include <functional>
#include <optional>
#include <string>

#include "aws/credentials.h"
#include "base/env.h"
#include "net/http_client.h"

namespace brock {

struct SigV4Params {
  std::string region;
  std::string service;  // "bedrock", "sts", ...  (Bedrock runtime signs with service "bedrock")
  Clock::time_point time;
  bool add_content_sha256_header = false;  // add x-amz-content-sha256
  bool normalize_path = true;  // remove dot segments / duplicate slashes (false for S3-like)
  bool double_encode_path =
      true;  // URI-encode the (already encoded) path again in the canonical request
  // When false, X-Amz-Security-Token is still added to the request but left out of the signature
  // (a few services, and the test suite's post-sts-header-after case, want the token unsigned).
  bool sign_session_token = true;
};

// The intermediate strings, for tests and --debug traces. They contain no secret (the session
// token appears in the canonical request only when it is signed; callers printing traces must
// still pass them through ScrubSecrets).
struct SigV4Trace {
  std::string canonical_request, string_to_sign, signature;
};

// Signs in place: adds Host (from the URL, if absent), X-Amz-Date, X-Amz-Security-Token (when there
// is a session token) and Authorization. Every header present in the request is signed (except the
// few listed above). Signing an already signed request again (a retry) first removes the
// Authorization, X-Amz-Date, X-Amz-Security-Token and x-amz-content-sha256 headers it added
// (X-Amz-Security-Token is always replaced: present exactly when `creds` has a session token).
SigV4Trace SignRequest(HttpRequest& request, const Credentials& creds, const SigV4Params& params);

// Query-string signing (presigned URL), as in the AWS test suite's query-* files: appends
// X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-SignedHeaders, X-Amz-Expires,
// [X-Amz-Security-Token] and X-Amz-Signature to the URL's query. Headers present are signed
// ("host" always, from the Host header or the URL); the request's headers are not changed.
// add_content_sha256_header is ignored.
SigV4Trace PresignRequest(HttpRequest& request, const Credentials& creds, const SigV4Params& params,
                          std::chrono::seconds expires);

// Server side, used by the Bedrock emulator. `received.url` is "http://<host><raw path and query
// exactly as received on the wire>", headers/body as received.
struct SigV4Verification {
  bool ok = false;
  std::string
      error_type;  // AWS error type when !ok: "IncompleteSignatureException" (missing/malformed
                   // Authorization or X-Amz-Date), "UnrecognizedClientException" (unknown key id),
                   // "InvalidSignatureException" (signature mismatch or request time too skewed)
  std::string message;  // the message AWS uses for that error
  std::string access_key_id, region, service, session_token;
};

// Returns the secret access key for an access key id, or nullopt when the id is unknown.
using SecretLookup = std::function<std::optional<std::string>(const std::string& access_key_id)>;

// Verifies the Authorization header of `received` (header signing only), recomputing the
// signature with normalize_path and double_encode_path on (right for every service but S3).
// Also rejects: 'host' not among the signed headers, a credential scope date that differs from
// X-Amz-Date, and an x-amz-content-sha256 header that does not match the body.
// access_key_id, region, service and session_token (X-Amz-Security-Token) are filled in as soon
// as they are known, also on failure.
SigV4Verification VerifySigV4(const HttpRequest& received, const SecretLookup& lookup,
                              Clock::time_point now,
                              std::chrono::seconds max_skew = std::chrono::minutes(15));

// "20150830T123600Z" for a time point (UTC, seconds truncated).
std::string FormatAmzDate(Clock::time_point time);
// Parses "20150830T123600Z"; nullopt when malformed.
std::optional<Clock::time_point> ParseAmzDate(std::string_view text);

}  // namespace brock
