// Fault injection for scripted replies: an HTTP error returned a number of times, and stream
// faults (an exception frame, a dropped connection, a frame with a bad CRC, slow events).
// The script format is documented in docs/emulator.md.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json_fwd.hpp>

#include "base/error.h"

namespace brock {

// An HTTP error reply as Bedrock sends it: status, x-amzn-ErrorType, {"message": ...}.
struct ErrorReply {
  std::string type;  // "ThrottlingException", "ValidationException", ...
  int status = 400;
  std::string message;
};

// A mid-stream exception event-stream message.
struct ExceptionFrameFault {
  std::string type;  // wire name, lower camel case: "throttlingException"
  std::string message;
  int after_events = 0;  // sent after this many chunk events
};

struct FaultSpec {
  std::optional<ErrorReply> error;  // answer with this HTTP error...
  int error_times = -1;             // ...this many times (-1: always), then reply normally

  std::optional<ExceptionFrameFault> exception_frame;
  std::optional<int> drop_after_events;         // close the connection after K events
  std::optional<int> corrupt_crc_after_events;  // event K+1 goes out with a bad message CRC
  int stream_fault_times = -1;  // how many streamed replies get the three faults above (-1: all)
  int delay_ms_per_event = 0;   // pause before each streamed event (always applies)

  bool HasStreamFault() const {
    return exception_frame || drop_after_events || corrupt_crc_after_events;
  }
};

// Reads the fault fields of one script rule (the JSON object `rule`); unknown values are
// errors naming `where` ("rule 3").
Result<FaultSpec> ParseFaults(const nlohmann::json& rule, std::string_view where);

// The HTTP status Bedrock uses for an error type (ThrottlingException -> 429, ...); 400 for
// unknown types.
int DefaultStatusForError(std::string_view type);
// The message Bedrock typically sends with an error type.
std::string DefaultMessageForError(std::string_view type);
// The event-stream exception name for an error type: "ThrottlingException" ->
// "throttlingException" (names already in lower camel case pass through).
std::string StreamExceptionName(std::string_view type);

}  // namespace brock
