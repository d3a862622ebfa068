// ControlChannel: the stream-json control protocol of Claude Code's Agent SDK, on brock's stdin
// and stdout (print mode with --input-format stream-json). Each stdin line is one JSON object:
//   {"type":"user",...}                                   a user turn (agent/stream_json_input.h)
//   {"type":"control_request","request_id":ID,"request":{"subtype":...}}   the SDK asks brock
//   {"type":"control_response","response":{"subtype":"success"|"error","request_id":ID,
//                                          "response":{...} | "error":"..."}} the SDK answers
//   {"type":"keep_alive"}, {"type":"control_cancel_request",...}         (ignored)
// brock answers each control_request with a control_response of the same request_id, and sends
// its own control_requests (can_use_tool, hook_callback, mcp_message) the same way.
//
// A reader thread takes the lines as they come, so that while a turn runs the SDK's answers and
// an `interrupt` are seen at once: responses wake the waiting Request(); `interrupt` raises the
// cancel flag and is answered; requests that change the session (set_model,
// set_permission_mode, set_max_thinking_tokens) and user turns wait in order for the main loop
// (Next); an unknown subtype is answered with an error response, never a crash. The end of stdin
// while a turn runs (or a line waits) interrupts it, as in plain stream-json input.
#pragma once

#include <atomic>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <set>
#include <string>
#include <thread>

#include <nlohmann/json.hpp>

#include "base/error.h"
#include "base/json.h"
#include "base/line_reader.h"

namespace brock {

class ControlChannel {
 public:
  // One input for the main loop, in arrival order.
  struct Input {
    enum class Kind { kUser, kControlRequest, kBadLine };
    Kind kind = Kind::kUser;
    int line_number = 0;
    std::string line;        // the raw line (kUser, kBadLine)
    std::string request_id;  // kControlRequest
    Json request;            // kControlRequest: the "request" object (with "subtype")
  };

  // Reads `in_fd`, writes to `out`; raises `*cancel` on `interrupt` and when the input ends
  // during a turn. `main_loop_subtypes`: the control requests the main loop answers itself.
  ControlChannel(int in_fd, std::FILE* out, std::atomic<bool>* cancel,
                 std::set<std::string> main_loop_subtypes);
  ~ControlChannel();
  ControlChannel(const ControlChannel&) = delete;
  ControlChannel& operator=(const ControlChannel&) = delete;

  // The next input for the main loop; nullopt when stdin ended (or `*cancel` was raised while
  // waiting) and nothing is left. Marks a turn as running until SetTurnRunning(false).
  std::optional<Input> Next();
  void SetTurnRunning(bool running);
  // True once the peer sent a control message (it speaks the control protocol).
  bool speaks_control() {
    std::lock_guard<std::mutex> lock(mu_);
    return saw_control_;
  }
  // True (once) when the cancel flag was raised by an `interrupt` request.
  bool TakeInterrupt() { return interrupt_requested_.exchange(false); }

  // Sends a control_request with `request` (which holds "subtype") and waits for the SDK's
  // answer: the "response" object of a success, else an Error ("control.error" with the SDK's
  // message; "control.closed" when stdin ended first; "control.interrupted" when the cancel flag
  // was raised while waiting, unless `ignore_cancel`). Thread-safe.
  Result<Json> Request(const Json& request, bool ignore_cancel = false);

  // Answers control_request `request_id`. Thread-safe.
  void Respond(const std::string& request_id, const Json& response);
  void RespondError(const std::string& request_id, const std::string& message);

  // Writes one line (a JSON object, no newline) to stdout in one piece. Thread-safe.
  void WriteLine(const std::string& line);

 private:
  struct Pending {
    bool done = false;
    bool ok = false;
    Json response;
    std::string error;
  };
  void Loop();
  void Dispatch(const std::string& line, int line_number);

  std::FILE* out_;
  std::atomic<bool>* cancel_;
  std::set<std::string> main_loop_subtypes_;
  std::atomic<bool> turn_running_{false};
  std::atomic<bool> interrupt_requested_{false};
  LineReader reader_;
  std::mutex mu_;
  std::condition_variable cv_;
  std::deque<Input> inputs_;
  std::map<std::string, Pending> pending_;
  bool ended_ = false;
  bool saw_control_ = false;  // the peer speaks the control protocol
  uint64_t next_id_ = 1;
  std::thread thread_;
};

}  // namespace brock
