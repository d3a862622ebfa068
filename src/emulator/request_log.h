// The emulator's record of every request it received, kept in memory (for in-process tests)
// and optionally appended to a JSON-lines file (--request-log) for end-to-end tests. Secrets
// never reach the record: the signature, bearer token and session token are redacted.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include "net/http_client.h"

namespace brock {

struct RecordedRequest {
  uint64_t seq = 0;  // 1, 2, ... in arrival order
  std::string method;
  std::string path;       // raw, as received (percent-encoded)
  std::string operation;  // "InvokeModel", "InvokeModelWithResponseStream", an STS action
                          // ("AssumeRole", ...), "ImdsGetToken", "ImdsListRoles",
                          // "ImdsGetCredentials", "ContainerCredentials", or "" (unknown)
  std::string model_id;   // decoded from the path; "" when the path names none
  HttpHeaders headers;    // redacted (see RedactHeaders)
  std::string body;       // as received (STS: WebIdentityToken redacted)
  std::string auth_kind;  // "sigv4", "bearer", "none" ("token" for IMDS / container calls)
  std::string access_key_id;
  bool auth_ok = false;
  std::string auth_error;    // the error type when !auth_ok
  int status = 0;            // the HTTP status answered
  std::string error_type;    // x-amzn-ErrorType of the answer, when an error
  std::string rule;          // the script rule that answered
  std::string stream_fault;  // "exception_frame", "drop", "corrupt_crc" or ""
};

// Copies `headers`, replacing secrets: the SigV4 Signature= value, a bearer token, any other
// non-SigV4 Authorization value (a container credentials token), X-Amz-Security-Token and
// X-aws-ec2-metadata-token become "[REDACTED]" (the Credential= part and SignedHeaders stay).
HttpHeaders RedactHeaders(const HttpHeaders& headers);

// One JSON object (no newline) with every field of `r`; headers as an array of [name, value].
std::string RecordedRequestToJson(const RecordedRequest& r);

class RequestRecorder {
 public:
  // `log_path` "" keeps the record in memory only.
  explicit RequestRecorder(std::string log_path = "");
  // Assigns r.seq, keeps r, and appends its JSON line to the log file (flushed). Thread-safe.
  void Record(RecordedRequest r);
  std::vector<RecordedRequest> All() const;
  void Clear();

 private:
  std::string log_path_;
  mutable std::mutex mu_;
  std::vector<RecordedRequest> requests_;
  uint64_t next_seq_ = 1;
};

}  // namespace brock
