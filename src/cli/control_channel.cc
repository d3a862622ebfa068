#include "cli/control_channel.h"

#include <chrono>
#include <nlohmann/json.hpp>

#include "agent/stream_json_input.h"
#include "base/secrets.h"

namespace brock {

ControlChannel::ControlChannel(int in_fd, std::FILE* out, std::atomic<bool>* cancel,
                               std::set<std::string> main_loop_subtypes)
    : out_(out),
      cancel_(cancel),
      main_loop_subtypes_(std::move(main_loop_subtypes)),
      reader_(in_fd, nullptr),
      thread_([this] { Loop(); }) {}

ControlChannel::~ControlChannel() {
  reader_.Stop();
  if (thread_.joinable()) thread_.join();
}

void ControlChannel::Loop() {
  int line_number = 0;
  while (std::optional<std::string> line = reader_.Next()) {
    Dispatch(*line, ++line_number);
  }
  std::lock_guard<std::mutex> lock(mu_);
  ended_ = true;
  // Plain stream-json input: stdin closing during a turn interrupts it. Under the control
  // protocol (an SDK that sent control requests) the queued turns still run, as in Claude Code;
  // the SDK stops a turn with an `interrupt` request.
  if (!saw_control_ && (turn_running_.load() || !inputs_.empty())) cancel_->store(true);
  cv_.notify_all();
}

void ControlChannel::Dispatch(const std::string& line, int line_number) {
  if (IsBlankInputLine(line)) return;  // blank lines between messages are allowed
  Json j = ParseJsonOrDiscarded(line);
  std::string type = j.is_object() && j.contains("type") && j["type"].is_string()
                         ? j["type"].get<std::string>()
                         : "";
  if (type == "keep_alive" || type == "control_cancel_request") return;
  if (type == "control_response") {
    const Json& r = j.contains("response") && j["response"].is_object() ? j["response"] : Json();
    std::string id = r.is_object() ? r.value("request_id", "") : "";
    std::lock_guard<std::mutex> lock(mu_);
    saw_control_ = true;
    auto it = pending_.find(id);
    if (it == pending_.end()) return;  // an answer to nothing brock asked: ignored
    it->second.done = true;
    it->second.ok = r.value("subtype", "") == "success";
    if (it->second.ok) {
      it->second.response = r.contains("response") ? r["response"] : Json::object();
    } else {
      it->second.error = r.contains("error") && r["error"].is_string()
                             ? r["error"].get<std::string>()
                             : "the SDK answered with an error";
    }
    cv_.notify_all();
    return;
  }
  if (type == "control_request") {
    std::string id = j.contains("request_id") && j["request_id"].is_string()
                         ? j["request_id"].get<std::string>()
                         : "";
    const Json& request = j.contains("request") && j["request"].is_object() ? j["request"] : Json();
    std::string subtype = request.is_object() ? request.value("subtype", "") : "";
    {
      std::lock_guard<std::mutex> lock(mu_);
      saw_control_ = true;
    }
    if (id.empty() || subtype.empty()) {
      RespondError(id,
                   "malformed control_request: it needs a string \"request_id\" and a "
                   "\"request\" object with a \"subtype\"");
      return;
    }
    if (subtype == "interrupt") {
      if (turn_running_.load()) {
        interrupt_requested_ = true;
        cancel_->store(true);
      }
      Respond(id, Json::object());
      return;
    }
    if (subtype == "mcp_message") {
      // A message an SDK MCP server sends on its own (a notification): nothing to do with it.
      Respond(id, {{"mcp_response", {{"jsonrpc", "2.0"}, {"result", Json::object()}, {"id", 0}}}});
      return;
    }
    if (!main_loop_subtypes_.count(subtype)) {
      RespondError(id, "Unsupported control request subtype: " + subtype);
      return;
    }
    std::lock_guard<std::mutex> lock(mu_);
    Input in;
    in.kind = Input::Kind::kControlRequest;
    in.line_number = line_number;
    in.request_id = id;
    in.request = request;
    inputs_.push_back(std::move(in));
    cv_.notify_all();
    return;
  }
  std::lock_guard<std::mutex> lock(mu_);
  Input in;
  in.kind = type == "user" ? Input::Kind::kUser : Input::Kind::kBadLine;
  in.line_number = line_number;
  in.line = line;
  inputs_.push_back(std::move(in));
  cv_.notify_all();
}

std::optional<ControlChannel::Input> ControlChannel::Next() {
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    if (!inputs_.empty()) {
      Input in = std::move(inputs_.front());
      inputs_.pop_front();
      turn_running_ = in.kind == Input::Kind::kUser;
      return in;
    }
    if (ended_ || cancel_->load()) return std::nullopt;
    // A signal handler cannot wake the condition variable: poll the cancel flag.
    cv_.wait_for(lock, std::chrono::milliseconds(50));
  }
}

void ControlChannel::SetTurnRunning(bool running) { turn_running_ = running; }

Result<Json> ControlChannel::Request(const Json& request, bool ignore_cancel) {
  std::string id;
  {
    std::lock_guard<std::mutex> lock(mu_);
    id = "brock_req_" + std::to_string(next_id_++);
    pending_[id] = Pending{};
  }
  WriteLine(Json{{"type", "control_request"}, {"request_id", id}, {"request", request}}.dump());
  std::unique_lock<std::mutex> lock(mu_);
  for (;;) {
    Pending& p = pending_[id];
    if (p.done) {
      Pending done = std::move(p);
      pending_.erase(id);
      if (done.ok) return done.response;
      return MakeError("control.error",
                       "the Agent SDK answered " + request.value("subtype", "") +
                           " with an error: " + done.error,
                       "check the callback the SDK program registered for it");
    }
    if (ended_) {
      pending_.erase(id);
      return MakeError("control.closed",
                       "stdin ended before the Agent SDK answered " + request.value("subtype", ""),
                       "keep stdin open while a turn runs");
    }
    if (!ignore_cancel && cancel_->load()) {
      pending_.erase(id);
      return MakeError(
          "control.interrupted",
          "interrupted while waiting for the Agent SDK to answer " + request.value("subtype", ""),
          "");
    }
    cv_.wait_for(lock, std::chrono::milliseconds(50));
  }
}

void ControlChannel::Respond(const std::string& request_id, const Json& response) {
  WriteLine(Json{
      {"type", "control_response"},
      {"response", {{"subtype", "success"}, {"request_id", request_id}, {"response", response}}}}
                .dump());
}

void ControlChannel::RespondError(const std::string& request_id, const std::string& message) {
  WriteLine(
      Json{{"type", "control_response"},
           {"response", {{"subtype", "error"}, {"request_id", request_id}, {"error", message}}}}
          .dump());
}

void ControlChannel::WriteLine(const std::string& line) {
  std::string out = ScrubSecrets(line) + "\n";
  std::fwrite(out.data(), 1, out.size(), out_);
  std::fflush(out_);
}

}  // namespace brock
