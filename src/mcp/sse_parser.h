// SseParser: Server-Sent Events (the WHATWG event-stream format) as MCP's HTTP transports use
// them: `event:`, `data:` (several lines joined with '\n'), `id:` and comments, events ended by a
// blank line, lines ended by LF, CRLF or CR. Bytes are fed in chunks of any size.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace brock {

struct SseEvent {
  std::string event = "message";  // the `event:` field, "message" when absent
  std::string data;
  std::string id;
};

class SseParser {
 public:
  // `on_event` is called for each complete event with data (events without data are dropped, as
  // the format says).
  explicit SseParser(std::function<void(const SseEvent&)> on_event)
      : on_event_(std::move(on_event)) {}

  void Feed(std::string_view bytes);
  // Ends the stream: an event not yet ended by a blank line is dropped, as the format says.
  void Finish() { line_.clear(); }

 private:
  void Line(std::string_view line);

  std::function<void(const SseEvent&)> on_event_;
  std::string line_;
  bool last_was_cr_ = false;
  SseEvent pending_;
  bool has_data_ = false;
};

}  // namespace brock
