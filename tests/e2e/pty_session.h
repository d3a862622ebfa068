// PtySession: runs a program on a fresh pseudo-terminal, as a user at a terminal would, so the
// interactive terminal can be tested end to end: type lines, press Ctrl-C, wait for text.
#pragma once

#include <sys/types.h>

#include <map>
#include <string>
#include <vector>

namespace brock::e2e {

class PtySession {
 public:
  // Starts `argv` on a new 100x30 pseudo-terminal with exactly `env`, in `cwd`. Fails the test
  // when it cannot.
  void Start(const std::vector<std::string>& argv, const std::map<std::string, std::string>& env,
             const std::string& cwd);
  ~PtySession();

  // Waits until `needle` appears in the output after what earlier Expects consumed (ANSI
  // escapes removed), and consumes through it. False (with the output in the test log) when it
  // does not appear within `timeout_seconds` or the program ends first.
  bool Expect(const std::string& needle, int timeout_seconds = 30);
  // Types `text` followed by Enter.
  void SendLine(const std::string& text);
  // Types `bytes` as they are (keys, escape sequences), with no Enter.
  void Type(const std::string& bytes) { Send(bytes); }
  // Presses Ctrl-C / Ctrl-D.
  void SendInterrupt();
  void SendEof();
  // Sends `sig` to the program.
  void Signal(int sig);
  // Waits for the program to end; its exit code, or -1 on timeout (it is then killed).
  int Wait(int timeout_seconds = 30);
  // Everything the program wrote so far, ANSI escapes removed.
  std::string Output();
  // The raw bytes, escapes and all.
  const std::string& raw() const { return raw_; }

 private:
  // Reads what is available within `timeout_ms`; false at end of output.
  bool Pump(int timeout_ms);
  void Send(const std::string& bytes);

  pid_t pid_ = -1;
  int master_ = -1;
  bool ended_ = false;
  std::string raw_;
  size_t consumed_ = 0;  // in Output()
};

// `text` without ANSI escape sequences (CSI "ESC [ ... letter" and two-byte "ESC x").
std::string StripAnsi(const std::string& text);

}  // namespace brock::e2e
