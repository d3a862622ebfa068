#include "emulator/bedrock_events.h"

#include <nlohmann/json.hpp>

#include "aws/eventstream.h"
#include "base/strings.h"

namespace brock {

std::string EncodeChunkFrame(std::string_view event_json, size_t sequence) {
  static constexpr std::string_view kPad =
      "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123";
  std::string padding(kPad.substr(0, 4 + (sequence * 7) % (kPad.size() - 4)));
  nlohmann::json payload = {{"bytes", Base64Encode(event_json)}, {"p", padding}};
  EventMessage message;
  message.headers.push_back(StringHeader(":event-type", "chunk"));
  message.headers.push_back(StringHeader(":content-type", "application/json"));
  message.headers.push_back(StringHeader(":message-type", "event"));
  message.payload = payload.dump();
  return EncodeEventMessage(message);
}

std::string EncodeExceptionFrame(std::string_view exception_type, std::string_view message_text) {
  EventMessage message;
  message.headers.push_back(StringHeader(":exception-type", std::string(exception_type)));
  message.headers.push_back(StringHeader(":content-type", "application/json"));
  message.headers.push_back(StringHeader(":message-type", "exception"));
  message.payload = nlohmann::json{{"message", message_text}}.dump();
  return EncodeEventMessage(message);
}

std::string CorruptMessageCrc(std::string frame) {
  if (frame.size() >= 4) frame[frame.size() - 1] = static_cast<char>(frame.back() ^ 0x5a);
  return frame;
}

}  // namespace brock
