#include "ui/terminal_sink.h"

#include <nlohmann/json.hpp>

#include "base/error_codes.h"
#include "base/secrets.h"
#include "base/strings.h"
#include "ui/visible_text.h"

namespace brock {

namespace {

// Cuts `text` to at most `max` bytes on a UTF-8 boundary, ending in "…" when cut.
std::string Shorten(std::string_view text, size_t max) {
  if (text.size() <= max) return std::string(text);
  size_t cut = max > 3 ? max - 3 : 0;
  while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
  return std::string(text.substr(0, cut)) + "…";
}

std::string FirstLine(std::string_view text) {
  size_t nl = text.find('\n');
  return std::string(nl == std::string_view::npos ? text : text.substr(0, nl));
}

// The text of a tool_result's content (a string or text blocks); images count as "[image]".
std::string ResultText(const Json& block) {
  const Json& content = block.contains("content") ? block["content"] : Json();
  if (content.is_string()) return content.get<std::string>();
  std::string text;
  if (content.is_array()) {
    for (const Json& part : content) {
      if (part.value("type", "") == "text")
        text += part.value("text", "");
      else if (part.value("type", "") == "image")
        text += "[image]";
    }
  }
  return text;
}

size_t CountLines(std::string_view text) {
  if (text.empty()) return 0;
  size_t n = 0;
  for (char c : text) n += c == '\n';
  return text.back() == '\n' ? n : n + 1;
}

class TerminalSink : public AgentSink {
 public:
  explicit TerminalSink(Terminal& terminal) : t_(terminal), styled_(terminal.styled()) {}

  void OnTextDelta(std::string_view text) override {
    EndThinking();
    Out(scrubber_.Push(text));
  }

  // Thinking streams in dimmed, after a "✻ Thinking…" line, and ends at the reply's next text,
  // tool call or end.
  void OnThinkingDelta(std::string_view thinking) override {
    if (!thinking_) {
      EndLine();
      Out(Styled(styled_, kDim, "✻ Thinking…") + "\n");
      thinking_ = true;
    }
    std::string visible = thinking_scrubber_.Push(thinking);
    if (!visible.empty()) Out(Styled(styled_, kDim, visible));
  }

  void OnAssistantMessage(const ModelReply& reply) override {
    EndThinking();
    Out(scrubber_.Finish());
    EndLine();
    const Json message = MessageToJson(reply.message);
    for (const Json& block : message["content"]) {
      if (block.value("type", "") != "tool_use") continue;
      size_t width = static_cast<size_t>(t_.width() > 10 ? t_.width() - 2 : 8);
      Out(Styled(styled_, kCyan, "● ") + Styled(styled_, kBold, DescribeToolCall(block, width)) +
          "\n");
    }
  }

  void OnUserMessage(const Message& typed) override {
    const Json message = MessageToJson(typed);
    for (const Json& block : message["content"]) {
      if (block.value("type", "") != "tool_result") continue;
      std::string text = ResultText(block);
      size_t width = static_cast<size_t>(t_.width() > 16 ? t_.width() - 6 : 10);
      std::string summary;
      if (block.value("is_error", false)) {
        summary = Styled(styled_, kRed, Shorten(FirstLine(text), width));
      } else {
        size_t lines = CountLines(text);
        summary = lines <= 1
                      ? Shorten(text.empty() ? "(no output)" : FirstLine(text), width)
                      : Shorten(FirstLine(text), width > 20 ? width - 16 : width) +
                            Styled(styled_, kDim, " (+" + std::to_string(lines - 1) + " lines)");
      }
      Out("  ⎿  " + summary + "\n");
    }
  }

  void OnRetry(const Error& cause, int next_attempt, std::chrono::milliseconds delay) override {
    EndLine();
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", static_cast<double>(delay.count()) / 1000.0);
    Out(Styled(styled_, kDim,
               "  " + cause.message + " (retrying in " + secs + " s, attempt " +
                   std::to_string(next_attempt) + ")") +
        "\n");
  }

  void OnWarning(std::string_view text) override {
    EndLine();
    Out(Styled(styled_, kYellow, "! " + std::string(text)) + "\n");
  }

  // A hook that ran: one dim line when it has something to say (its message, else the first
  // line of its output unless it asked for silence).
  void OnHook(const HookNotice& n) override {
    std::string line = n.message;
    if (line.empty() && !n.suppress_output && !Trim(n.stdout_text).empty() &&
        !StartsWith(Trim(n.stdout_text), "{")) {  // a JSON answer is not output to show
      line = n.name + " hook: " + FirstLine(std::string(Trim(n.stdout_text)));
    }
    if (line.empty()) return;
    EndLine();
    size_t width = static_cast<size_t>(t_.width() > 16 ? t_.width() - 6 : 10);
    Out(Styled(styled_, kDim, "  ⎿  " + Shorten(line, width)) + "\n");
  }

  void OnResult(const RunResult& r) override {
    EndThinking();
    Out(scrubber_.Finish());
    EndLine();
    if (!r.is_error) return;
    if (r.error && r.error->code == errc::kAgentInterrupted) {
      Out(Styled(styled_, kYellow, "Interrupted.") + "\n");  // the loop says how to go on
    } else if (r.error) {
      ShowError(t_, *r.error);
      at_line_start_ = true;
    } else {
      Out(Styled(styled_, kRed, r.result) + "\n");
    }
  }

 private:
  void Out(const std::string& s) {
    if (s.empty()) return;
    t_.Write(s);
    at_line_start_ = s.back() == '\n';
  }
  void EndLine() {
    if (!at_line_start_) Out("\n");
  }
  void EndThinking() {
    if (!thinking_) return;
    std::string rest = thinking_scrubber_.Finish();
    if (!rest.empty()) Out(Styled(styled_, kDim, rest));
    EndLine();
    Out("\n");
    thinking_ = false;
  }

  Terminal& t_;
  bool styled_;
  StreamScrubber scrubber_;
  StreamScrubber thinking_scrubber_;  // the thinking, with the same control-sequence scrubbing
  bool thinking_ = false;             // a thinking block is being shown
  bool at_line_start_ = true;
};

}  // namespace

std::string Styled(bool on, std::string_view ansi_code, std::string_view text) {
  if (!on) return std::string(text);
  return "\x1b[" + std::string(ansi_code) + "m" + std::string(text) + "\x1b[0m";
}

std::string DescribeToolCall(const Json& block, size_t max_width) {
  std::string name = block.value("name", "?");
  const Json input =
      block.contains("input") && block["input"].is_object() ? block["input"] : Json::object();
  std::string arg;
  for (const char* key : {"command", "file_path", "pattern", "path", "notebook_path"}) {
    if (input.contains(key) && input[key].is_string()) {
      arg = input[key].get<std::string>();
      break;
    }
  }
  if (name == "TodoWrite" && input.contains("todos") && input["todos"].is_array()) {
    arg = std::to_string(input["todos"].size()) + " items";
  }
  // One line: newlines in a command become spaces; other control characters are made visible
  // (ui/visible_text.h) so a command cannot move the cursor or recolour the screen.
  for (char& c : arg) {
    if (c == '\n' || c == '\t') c = ' ';
  }
  arg = VisibleText(arg);
  std::string full = arg.empty() ? name : name + "(" + arg + ")";
  if (full.size() <= max_width) return full;
  size_t room = max_width > name.size() + 2 ? max_width - name.size() - 2 : 1;
  return name + "(" + Shorten(arg, room) + ")";
}

void ShowError(Terminal& terminal, const Error& error) {
  terminal.Write(Styled(terminal.styled(), kRed, "Error: " + error.message) + "\n");
  if (!error.fix.empty()) terminal.Write("  fix: " + error.fix + "\n");
}

std::unique_ptr<AgentSink> MakeTerminalSink(Terminal& terminal) {
  return std::make_unique<TerminalSink>(terminal);
}

}  // namespace brock
