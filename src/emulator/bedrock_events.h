// The event-stream frames of InvokeModelWithResponseStream: a "chunk" event wrapping one
// Anthropic streaming event, an exception frame, and a deliberately corrupted frame for fault
// injection. Uses the codec in aws/eventstream.h.
#pragma once

#include <string>
#include <string_view>

namespace brock {

// A chunk event: headers :event-type=chunk, :content-type=application/json,
// :message-type=event; payload {"bytes":"<base64 of event_json>","p":"<padding>"}.
// `sequence` varies the padding length the way Bedrock's does.
std::string EncodeChunkFrame(std::string_view event_json, size_t sequence);

// An exception frame: :exception-type=<exception_type> (e.g. "throttlingException"),
// :content-type=application/json, :message-type=exception; payload {"message": message}.
std::string EncodeExceptionFrame(std::string_view exception_type, std::string_view message);

// `frame` with its trailing message CRC changed, so a decoder must reject it.
std::string CorruptMessageCrc(std::string frame);

}  // namespace brock
