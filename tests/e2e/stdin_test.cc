// Print mode's input end to end: `--input-format stream-json` (one user turn per stdin line, one
// session), a closed stdin interrupting a running turn, and SIGTERM/SIGHUP interrupting like
// SIGINT. Each interrupt must stop the stream and any running tool (the Bash process group),
// leave a transcript that parses line by line, and let `brock -c` send a valid conversation.
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>
#include <thread>

#include "e2e_harness.h"

namespace brock::e2e {
namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::vector<Json> JsonLines(const std::string& text) {
  std::vector<Json> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty()) out.push_back(Json::parse(line, nullptr, false));
  }
  return out;
}

std::string UserLine(const std::string& text) {
  return Json{{"type", "user"}, {"message", {{"role", "user"}, {"content", text}}}}.dump() + "\n";
}

// brock running in the background with a pipe on its stdin and files for stdout/stderr.
class LiveBrock {
 public:
  void Start(const std::vector<std::string>& args, const std::map<std::string, std::string>& env,
             const std::string& cwd, const std::string& dir) {
    out_path_ = dir + "/live.out";
    err_path_ = dir + "/live.err";
    int fds[2];
    ASSERT_EQ(pipe(fds), 0);
    pid_ = fork();
    if (pid_ == 0) {
      dup2(fds[0], STDIN_FILENO);
      close(fds[0]);
      close(fds[1]);
      int out = open(out_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      int err = open(err_path_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0600);
      dup2(out, STDOUT_FILENO);
      dup2(err, STDERR_FILENO);
      if (chdir(cwd.c_str()) != 0) _exit(126);
      std::vector<std::string> strings = {BROCK_BIN};
      strings.insert(strings.end(), args.begin(), args.end());
      std::vector<std::string> env_strings;
      for (const auto& [k, v] : env) env_strings.push_back(k + "=" + v);
      std::vector<char*> argv, envp;
      for (auto& s : strings) argv.push_back(s.data());
      argv.push_back(nullptr);
      for (auto& s : env_strings) envp.push_back(s.data());
      envp.push_back(nullptr);
      execve(BROCK_BIN, argv.data(), envp.data());
      _exit(127);
    }
    close(fds[0]);
    stdin_ = fds[1];
    ASSERT_GT(pid_, 0);
  }
  ~LiveBrock() {
    CloseStdin();
    if (pid_ > 0 && !exited_) {
      kill(pid_, SIGKILL);
      waitpid(pid_, nullptr, 0);
    }
  }
  void Write(const std::string& data) {
    ASSERT_GE(stdin_, 0);
    ASSERT_EQ(write(stdin_, data.data(), data.size()), static_cast<ssize_t>(data.size()));
  }
  void CloseStdin() {
    if (stdin_ >= 0) close(stdin_);
    stdin_ = -1;
  }
  void Signal(int sig) { kill(pid_, sig); }
  // Waits for the process to end; returns its wait status, or -1 after `limit`.
  int Wait(std::chrono::seconds limit = std::chrono::seconds(20)) {
    auto until = Clock::now() + limit;
    while (Clock::now() < until) {
      int status = 0;
      if (waitpid(pid_, &status, WNOHANG) == pid_) {
        exited_ = true;
        return status;
      }
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }
  // Waits until stdout holds `n` result lines (or the limit passes).
  bool WaitForResults(size_t n, std::chrono::seconds limit = std::chrono::seconds(20)) {
    auto until = Clock::now() + limit;
    while (Clock::now() < until) {
      size_t results = 0;
      for (const Json& j : JsonLines(Out())) {
        if (j.is_object() && j.value("type", "") == "result") ++results;
      }
      if (results >= n) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  std::string Out() const { return ReadAll(out_path_); }
  std::string Err() const { return ReadAll(err_path_); }

 private:
  pid_t pid_ = -1;
  int stdin_ = -1;
  bool exited_ = false;
  std::string out_path_, err_path_;
};

class StdinTest : public E2eTest {
 protected:
  void StartWithScript(const Json& rules) {
    WriteGuideSetup("dev");
    WriteFile("script.json", Json{{"rules", rules}}.dump(2));
    StartEmulator({"--script", root_ + "/script.json"});
  }
  // The environment RunBrock gives brock.
  std::map<std::string, std::string> BrockEnv() const {
    return {{"HOME", home_},
            {"PATH", "/usr/local/bin:/usr/bin:/bin"},
            {"BROCK_RETRY_BASE_DELAY_MS", "5"},
            {"BROCK_RETRY_MAX_DELAY_MS", "20"},
            {"AWS_EC2_METADATA_DISABLED", "true"},
            {"CLAUDE_CODE_DISABLE_THINKING", "1"},
            {"ANTHROPIC_BEDROCK_BASE_URL", emulator_.url()}};
  }
  static Json ToolUse(const std::string& name, const Json& input) {
    return Json::array({{{"type", "tool_use"}, {"name", name}, {"input", input}}});
  }
  // The session transcripts written under HOME.
  std::vector<std::string> Transcripts() const {
    std::vector<std::string> out;
    std::string root = home_ + "/.brock/sessions";
    if (!fs::exists(root)) return out;
    for (const auto& e : fs::recursive_directory_iterator(root)) {
      if (e.path().extension() == ".jsonl") out.push_back(e.path().string());
    }
    return out;
  }
  // Every line of the only transcript parses as a JSON object ending in '\n'.
  void ExpectTranscriptParses() {
    auto files = Transcripts();
    ASSERT_EQ(files.size(), 1u);
    std::string text = ReadAll(files[0]);
    ASSERT_FALSE(text.empty());
    EXPECT_EQ(text.back(), '\n') << "no half-written last line";
    int n = 0;
    std::istringstream in(text);
    std::string line;
    while (std::getline(in, line)) {
      ++n;
      Json j = Json::parse(line, nullptr, false);
      EXPECT_TRUE(j.is_object()) << "transcript line " << n << " does not parse: " << line;
    }
  }
  // A Bash tool call that records its pid (the shell execs into sleep) and sleeps 30 s.
  std::string SleepCommand() const { return "echo $$ > " + root_ + "/sleep.pid; exec sleep 30"; }
  // The redirection into sleep.pid (outside the project) needs an Edit rule besides Bash's.
  std::string PidFileRule() const { return "Edit(/" + root_ + "/sleep.pid)"; }
  pid_t WaitForSleepPid() {
    for (int i = 0; i < 1000; ++i) {
      std::ifstream in(root_ + "/sleep.pid");
      pid_t pid = 0;
      if (in >> pid && pid > 0) return pid;
      std::this_thread::sleep_for(std::chrono::milliseconds(10));
    }
    return -1;
  }
  static bool ProcessGone(pid_t pid) {
    for (int i = 0; i < 100; ++i) {
      if (kill(pid, 0) != 0 && errno == ESRCH) return true;
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    return false;
  }
  // `brock -c -p "go on"` succeeds and its request answers every tool_use with a tool_result.
  void ExpectContinueSendsValidConversation() {
    RunOutput r = RunBrock({"-p", "go on", "-c", "--output-format", "json"});
    ASSERT_EQ(r.exit_code, 0) << r.err << r.out;
    EXPECT_EQ(Json::parse(r.out)["result"], "resumed fine");
    Json msgs = Body(emulator_.Requests().back())["messages"];
    ASSERT_GE(msgs.size(), 3u) << msgs.dump(1);
    EXPECT_EQ(msgs[0]["role"], "user");
    for (size_t i = 1; i < msgs.size(); ++i) {
      EXPECT_NE(msgs[i]["role"], msgs[i - 1]["role"]) << "roles alternate: " << msgs.dump(1);
    }
    for (size_t i = 0; i < msgs.size(); ++i) {
      if (!msgs[i]["content"].is_array()) continue;
      for (const Json& block : msgs[i]["content"]) {
        if (block.value("type", "") != "tool_use") continue;
        ASSERT_LT(i + 1, msgs.size()) << "tool_use in the last message";
        bool answered = false;
        for (const Json& b : msgs[i + 1]["content"]) {
          if (b.value("type", "") == "tool_result" && b.value("tool_use_id", "") == block["id"])
            answered = true;
        }
        EXPECT_TRUE(answered) << "tool_use " << block["id"]
                              << " has no tool_result: " << msgs.dump(1);
      }
    }
    EXPECT_NE(msgs.back().dump().find("go on"), std::string::npos);
  }
  // A script whose first prompt runs `sleep 30` through Bash, and whose "go on" answers.
  void StartSleepScript() {
    StartWithScript(Json::array({
        {{"match", {{"contains", "go on"}}}, {"text", "resumed fine"}},
        {{"match", {{"contains", "run the slow command"}}},
         {"content", ToolUse("Bash", {{"command", SleepCommand()}, {"description", "Sleep"}})}},
        {{"text", "unexpected request"}},
    }));
  }
};

TEST_F(StdinTest, TwoStreamJsonTurnsShareOneSession) {
  StartWithScript(Json::array({
      {{"match", {{"contains", "second question"}}}, {"text", "second answer"}},
      {{"match", {{"contains", "first question"}}}, {"text", "first answer"}},
  }));
  LiveBrock brock;
  brock.Start(
      {"-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose"},
      BrockEnv(), project_, root_);
  brock.Write(UserLine("first question"));
  ASSERT_TRUE(brock.WaitForResults(1)) << brock.Out() << brock.Err();
  // Content blocks work as well as a string.
  brock.Write(Json{{"type", "user"},
                   {"message",
                    {{"role", "user"},
                     {"content", Json::array({{{"type", "text"}, {"text", "second question"}}})}}}}
                  .dump() +
              "\n");
  ASSERT_TRUE(brock.WaitForResults(2)) << brock.Out() << brock.Err();
  brock.CloseStdin();  // between turns: the end of the input, not an interrupt
  int status = brock.Wait();
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 0) << brock.Err();

  std::vector<Json> results;
  std::set<std::string> sessions;
  for (const Json& j : JsonLines(brock.Out())) {
    ASSERT_TRUE(j.is_object()) << brock.Out();
    if (j.contains("session_id")) sessions.insert(j["session_id"].get<std::string>());
    if (j["type"] == "result") results.push_back(j);
  }
  ASSERT_EQ(results.size(), 2u);
  EXPECT_EQ(results[0]["result"], "first answer");
  EXPECT_EQ(results[1]["result"], "second answer");
  EXPECT_FALSE(results[1]["is_error"].get<bool>());
  EXPECT_EQ(sessions.size(), 1u) << "one session for both turns";

  auto reqs = emulator_.Requests();
  ASSERT_EQ(reqs.size(), 2u);
  Json msgs = Body(reqs[1])["messages"];
  ASSERT_EQ(msgs.size(), 3u) << msgs.dump(1);
  EXPECT_NE(msgs[0].dump().find("first question"), std::string::npos);
  EXPECT_NE(msgs[1].dump().find("first answer"), std::string::npos);
  EXPECT_NE(msgs[2].dump().find("second question"), std::string::npos);
  EXPECT_EQ(Transcripts().size(), 1u);
  ExpectTranscriptParses();
}

TEST_F(StdinTest, MalformedLineIsAnErrorAndKeepsEarlierTurns) {
  StartWithScript(Json::array({
      {{"match", {{"contains", "go on"}}}, {"text", "resumed fine"}},
      {{"match", {{"contains", "first question"}}}, {"text", "first answer"}},
  }));
  LiveBrock brock;
  brock.Start(
      {"-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose"},
      BrockEnv(), project_, root_);
  brock.Write(UserLine("first question"));
  ASSERT_TRUE(brock.WaitForResults(1)) << brock.Out() << brock.Err();
  brock.Write("\n{\"type\":\"user\",\"message\":{\"role\":\"user\"}}\n");
  int status = brock.Wait();
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 1);
  std::string err = brock.Err();
  EXPECT_NE(err.find("stdin line 3"), std::string::npos) << err;  // a blank line 2 is skipped
  EXPECT_NE(err.find("\"message.content\" is missing"), std::string::npos) << err;
  auto lines = JsonLines(brock.Out());
  ASSERT_FALSE(lines.empty());
  EXPECT_EQ(lines.back()["type"], "result");
  EXPECT_TRUE(lines.back()["is_error"].get<bool>());
  EXPECT_EQ(emulator_.Requests().size(), 1u);
  ExpectTranscriptParses();
  RunOutput r = RunBrock({"-p", "go on", "-c", "--output-format", "json"});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  Json msgs = Body(emulator_.Requests().back())["messages"];
  ASSERT_EQ(msgs.size(), 3u) << msgs.dump(1);
  EXPECT_NE(msgs[1].dump().find("first answer"), std::string::npos);
}

TEST_F(StdinTest, ClosedStdinInterruptsARunningBashCall) {
  StartSleepScript();
  LiveBrock brock;
  brock.Start({"-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose",
               "--allowedTools", "Bash", PidFileRule()},
              BrockEnv(), project_, root_);
  brock.Write(UserLine("please run the slow command"));
  pid_t sleep_pid = WaitForSleepPid();
  ASSERT_GT(sleep_pid, 0) << brock.Out() << brock.Err();
  auto closed = Clock::now();
  brock.CloseStdin();
  int status = brock.Wait();
  auto took = Clock::now() - closed;
  ASSERT_NE(status, -1) << "brock did not stop after stdin closed";
  EXPECT_LT(took, std::chrono::seconds(5)) << "well under the 30 s sleep";
  ASSERT_TRUE(WIFEXITED(status)) << "exits by itself";
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_TRUE(ProcessGone(sleep_pid)) << "the Bash process group was killed";
  auto lines = JsonLines(brock.Out());
  ASSERT_FALSE(lines.empty());
  const Json& result = lines.back();
  EXPECT_EQ(result["type"], "result");
  EXPECT_TRUE(result["is_error"].get<bool>());
  EXPECT_NE(result.dump().find("interrupted"), std::string::npos) << result.dump();
  EXPECT_EQ(emulator_.Requests().size(), 1u) << "nothing more was sent after the interrupt";
  ExpectTranscriptParses();
  ExpectContinueSendsValidConversation();
}

class SignalTest : public StdinTest, public ::testing::WithParamInterface<int> {};

TEST_P(SignalTest, InterruptsTheBashCallAndKeepsTheTranscript) {
  StartSleepScript();
  LiveBrock brock;
  brock.Start({"-p", "please run the slow command", "--allowedTools", "Bash", PidFileRule()},
              BrockEnv(), project_, root_);
  brock.CloseStdin();  // text mode: the (empty) piped stdin is read before the run
  pid_t sleep_pid = WaitForSleepPid();
  ASSERT_GT(sleep_pid, 0) << brock.Out() << brock.Err();
  auto signalled = Clock::now();
  brock.Signal(GetParam());
  int status = brock.Wait();
  auto took = Clock::now() - signalled;
  ASSERT_NE(status, -1);
  EXPECT_LT(took, std::chrono::seconds(5));
  ASSERT_TRUE(WIFEXITED(status)) << "handled, not killed by signal " << GetParam();
  EXPECT_NE(WEXITSTATUS(status), 0);
  EXPECT_NE(brock.Err().find("interrupted"), std::string::npos) << brock.Err();
  EXPECT_TRUE(ProcessGone(sleep_pid));
  ExpectTranscriptParses();
  ExpectContinueSendsValidConversation();
}

INSTANTIATE_TEST_SUITE_P(TermAndHup, SignalTest, ::testing::Values(SIGTERM, SIGHUP),
                         [](const auto& info) {
                           return info.param == SIGTERM ? "SIGTERM" : "SIGHUP";
                         });

TEST_F(StdinTest, SecondSignalExitsAtOnce) {
  // The command ignores SIGTERM, so the clean stop after the first signal waits out the Bash
  // tool's 2 s kill grace; a second signal must not wait: it leaves at once with 128 + signal.
  std::string command = "trap '' TERM; echo $$ > " + root_ + "/sleep.pid; exec sleep 30";
  StartWithScript(Json::array({
      {{"content", ToolUse("Bash", {{"command", command}, {"description", "Sleep"}})}},
  }));
  LiveBrock brock;
  brock.Start({"-p", "run it", "--allowedTools", "Bash", PidFileRule()}, BrockEnv(), project_,
              root_);
  brock.CloseStdin();
  pid_t sleep_pid = WaitForSleepPid();
  ASSERT_GT(sleep_pid, 0) << brock.Out() << brock.Err();
  brock.Signal(SIGTERM);
  std::this_thread::sleep_for(std::chrono::milliseconds(300));
  auto second = Clock::now();
  brock.Signal(SIGTERM);
  int status = brock.Wait();
  auto took = Clock::now() - second;
  kill(sleep_pid, SIGKILL);  // left behind on purpose by the immediate exit
  ASSERT_TRUE(WIFEXITED(status)) << status;
  EXPECT_EQ(WEXITSTATUS(status), 128 + SIGTERM);
  EXPECT_LT(took, std::chrono::milliseconds(1000));
}

TEST_F(StdinTest, InputClosedWithLinesStillWaitingIsAnInterrupt) {
  // `printf 'l1\nl2\n' | brock --input-format stream-json`: stdin ends while the first turn runs
  // (or before it starts): an interrupt; the second line never runs.
  StartWithScript(Json::array({{{"text", "answer"}, {"delay_ms_per_event", 200}}}));
  RunOutput r = RunBrock(
      {"-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose"}, {},
      UserLine("first line") + UserLine("second line"));
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  auto lines = JsonLines(r.out);
  ASSERT_FALSE(lines.empty()) << r.err;
  size_t results = 0;
  for (const Json& j : lines) results += j.value("type", "") == "result";
  EXPECT_EQ(results, 1u) << r.out;
  EXPECT_TRUE(lines.back()["is_error"].get<bool>());
  EXPECT_NE(lines.back().dump().find("interrupted"), std::string::npos) << lines.back().dump();
  for (const Json& req : emulator_.Requests()) {
    EXPECT_EQ(req.value("body", "").find("second line"), std::string::npos);
  }
  ExpectTranscriptParses();
}

TEST_F(StdinTest, StreamJsonInputNeedsStreamJsonOutput) {
  StartWithScript(Json::array({{{"text", "never"}}}));
  RunOutput r = RunBrock({"-p", "--input-format", "stream-json"}, {}, UserLine("hi"));
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("--input-format=stream-json requires --output-format=stream-json"),
            std::string::npos)
      << r.err;
  r = RunBrock({"-p", "--input-format", "xml"});
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("input-format"), std::string::npos) << r.err;
  EXPECT_TRUE(emulator_.Requests().empty());
}

TEST_F(StdinTest, InputEndingBeforeAnyMessageIsAnError) {
  StartWithScript(Json::array({{{"text", "never"}}}));
  RunOutput r = RunBrock(
      {"-p", "--input-format", "stream-json", "--output-format", "stream-json", "--verbose"}, {},
      "\n");
  EXPECT_EQ(r.exit_code, 1);
  EXPECT_NE(r.err.find("without a user message"), std::string::npos) << r.err;
  EXPECT_TRUE(emulator_.Requests().empty());
}

}  // namespace
}  // namespace brock::e2e
