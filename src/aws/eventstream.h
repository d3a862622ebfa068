// The AWS event-stream codec (application/vnd.amazon.eventstream): the binary framing Bedrock
// uses for InvokeModelWithResponseStream and ConverseStream replies. The wire format is written
// down in docs/event-stream.md.
//
// Each message is: a 12-byte prelude (total length, headers length, CRC-32 of those 8 bytes),
// typed headers, the payload, and a CRC-32 of everything before it. All integers are big-endian.
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>

#include "base/error.h"

namespace brock {

// Header value types; the numbers are the wire codes.
enum class HeaderType : uint8_t {
  kBoolTrue = 0,
  kBoolFalse = 1,
  kByte = 2,
  kInt16 = 3,
  kInt32 = 4,
  kInt64 = 5,
  kBytes = 6,
  kString = 7,
  kTimestamp = 8,
  kUuid = 9,
};

struct EventHeader {
  std::string name;  // 1..255 bytes on the wire
  HeaderType type = HeaderType::kString;
  // bool (1/0), byte, int16, int32, int64, timestamp (ms since epoch). When encoding, booleans
  // take their value from `type` and integers are truncated to the width of their type.
  int64_t int_value = 0;
  std::string bytes_value;  // bytes, string (at most 65535 bytes), uuid (16 raw bytes)
};

// A string header: the common kind (":message-type", ":event-type", ":content-type").
EventHeader StringHeader(std::string name, std::string value);

struct EventMessage {
  std::vector<EventHeader> headers;
  std::string payload;

  // The first header named `name` (exact, case-sensitive match), or nullptr.
  const EventHeader* Find(std::string_view name) const;
  // The value of string header `name`; "" when absent or not a string.
  std::string StringHeader(std::string_view name) const;
};

// Encodes one message with prelude CRC and message CRC. Preconditions (not checked at run time
// beyond keeping the output well formed): names are 1..255 bytes (longer ones are cut to 255),
// string/bytes values at most 65535 bytes (longer ones are cut), uuids 16 bytes (padded with
// zeros or cut), and the whole message under 4 GiB.
std::string EncodeEventMessage(const EventMessage& message);

// Incremental decoder: bytes may arrive split anywhere (even inside the 12-byte prelude).
// Each payload byte is copied exactly once, straight into the EventMessage handed out, and the
// length fields are checked as soon as the prelude arrives, so an oversized or corrupt frame is
// rejected before its body is buffered.
class EventStreamDecoder {
 public:
  static constexpr size_t kDefaultMaxMessageSize = 16 * 1024 * 1024;
  // The largest headers section the format allows (128 KiB), whatever the message cap.
  static constexpr size_t kMaxHeadersLength = 128 * 1024;

  explicit EventStreamDecoder(size_t max_message_size = kDefaultMaxMessageSize);

  // Decodes every complete message in the bytes fed so far and passes each to on_message, in
  // order. Errors (code "eventstream.corrupt", message naming what is wrong: prelude CRC,
  // message CRC, length out of range/over the cap, header length, malformed headers, and the
  // stream offset of the bad message) leave the decoder failed: later calls return the same
  // error. Messages completed before the bad one have already been delivered.
  Status Feed(std::string_view bytes, const std::function<void(EventMessage&&)>& on_message);

  // True when bytes of an incomplete message are buffered (a stream that ends now was
  // truncated). False after a failure (Feed already reported the stream as corrupt).
  bool mid_message() const;

 private:
  enum class State { kPrelude, kHeaders, kPayload, kMessageCrc, kFailed };

  // Validates the complete prelude in prelude_ and sets up the rest of the message.
  Status StartMessage();
  // Checks the message CRC, decodes the headers and hands the message out.
  Status FinishMessage(const std::function<void(EventMessage&&)>& on_message);
  Status Fail(std::string what);

  size_t max_message_size_;
  State state_ = State::kPrelude;
  Error error_;

  uint64_t message_offset_ = 0;  // stream offset of the current message's first byte
  char prelude_[12] = {};        // the prelude, then reused for the 4-byte message CRC
  size_t prelude_have_ = 0;
  uint32_t total_length_ = 0;
  uint32_t headers_length_ = 0;
  size_t payload_length_ = 0;
  uint32_t running_crc_ = 0;  // CRC-32 of the current message's bytes so far
  std::string headers_;       // the raw headers section of the current message
  std::string payload_;       // filled in place, then moved into the EventMessage
};

}  // namespace brock
