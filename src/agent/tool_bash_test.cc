#include "agent/tool_bash.h"

#include <gtest/gtest.h>

#include <thread>

#include "base/strings.h"
#include "testing/fake_env.h"
#include "testing/tool_test_util.h"

namespace brock {
namespace {

using testing::ContextHolder;
using testing::RunOk;
using testing::TempDir;
using testing::WriteRaw;

// Records the spec and answers with a canned result.
class FakeRunner : public ProcessRunner {
 public:
  Result<ProcessResult> Run(const ProcessSpec& spec, const std::atomic<bool>* cancel) override {
    specs.push_back(spec);
    if (fail) return MakeError("process.start", "cannot start", "");
    return result;
  }
  std::vector<ProcessSpec> specs;
  ProcessResult result;
  bool fail = false;
};

class BashToolTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_FALSE(dir.path().empty()) << "mkdtemp failed"; }
  ToolResult Bash(const Json& input) { return RunOk(*tool, input, h.ctx); }
  ToolResult Sh(const std::string& command) { return Bash(Json{{"command", command}}); }

  TempDir dir;
  ContextHolder h{dir.path()};
  std::unique_ptr<Tool> tool = MakeBashTool();
};

TEST_F(BashToolTest, RunsAndReturnsOutput) {
  ToolResult r = Sh("echo hello; echo world");
  EXPECT_FALSE(r.is_error);
  EXPECT_EQ(r.AllText(), "hello\nworld");
}

TEST_F(BashToolTest, RunsInCwdWithBash) {
  WriteRaw(dir / "marker.txt", "");
  ToolResult r = Sh("ls; echo \"$BASH_VERSION\" | cut -c1");
  EXPECT_FALSE(r.is_error) << r.AllText();
  EXPECT_NE(r.AllText().find("marker.txt"), std::string::npos);
  if (RealEnv().Stat("/bin/bash").exists) {
    EXPECT_TRUE(EndsWith(r.AllText(), "\n5") || EndsWith(r.AllText(), "\n4")) << r.AllText();
  }
}

TEST_F(BashToolTest, StderrAndExitCode) {
  ToolResult r = Sh("echo out; echo err >&2; exit 3");
  EXPECT_TRUE(r.is_error);
  EXPECT_EQ(r.AllText(), "out\nerr\nExit code 3");
}

TEST_F(BashToolTest, CdPersistsBetweenCalls) {
  ASSERT_EQ(::mkdir((dir / "sub dir").c_str(), 0755), 0);
  ToolResult r = Sh("cd 'sub dir'");
  EXPECT_FALSE(r.is_error) << r.AllText();
  EXPECT_EQ(h.ctx.cwd, dir / "sub dir");
  EXPECT_EQ(Sh("pwd").AllText(), dir / "sub dir");
  // Even when the command exits with an error after cd.
  Sh("cd .. && false");
  EXPECT_EQ(h.ctx.cwd, dir.path());
  Sh("cd 'sub dir'; exit 4");
  EXPECT_EQ(h.ctx.cwd, dir / "sub dir");
}

TEST_F(BashToolTest, CommandTextIsNotReinterpreted) {
  // The command is eval'd from a parameter: positional parameters are empty, quotes and `}`
  // survive, and the trailer never shows.
  ToolResult r = Sh("echo \"[$#]\" '}' \"{$HOME_UNSET_X}\"\nprintf 'no newline'");
  EXPECT_FALSE(r.is_error) << r.AllText();
  EXPECT_EQ(r.AllText(), "[0] } {}\nno newline");
  EXPECT_EQ(r.AllText().find(kBashCwdMarker), std::string::npos);
  EXPECT_TRUE(Sh("if then fi").is_error);  // a syntax error is reported, not fatal
}

TEST_F(BashToolTest, TimeoutKillsTheCommand) {
  auto start = std::chrono::steady_clock::now();
  ToolResult r = Bash(Json{{"command", "echo started; sleep 20"}, {"timeout", 500}});
  auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("started"), std::string::npos);
  EXPECT_NE(r.AllText().find("timed out after 500ms"), std::string::npos) << r.AllText();
  EXPECT_LT(elapsed, std::chrono::seconds(10));
}

TEST_F(BashToolTest, CancelKillsTheCommand) {
  std::atomic<bool> cancel{false};
  h.ctx.cancel = &cancel;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(300));
    cancel = true;
  });
  auto start = std::chrono::steady_clock::now();
  ToolResult r = Sh("sleep 20");
  auto elapsed = std::chrono::steady_clock::now() - start;
  canceller.join();
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("interrupted"), std::string::npos) << r.AllText();
  EXPECT_LT(elapsed, std::chrono::seconds(10));
}

TEST_F(BashToolTest, LongOutputIsCutInTheMiddle) {
  ToolResult r = Sh("echo BEGIN; head -c 100000 /dev/zero | tr '\\0' x; echo; echo END");
  std::string text = r.AllText();
  EXPECT_FALSE(r.is_error);
  EXPECT_LT(text.size(), kBashMaxOutputChars + 200);
  EXPECT_TRUE(StartsWith(text, "BEGIN\n"));
  EXPECT_TRUE(EndsWith(text, "\nEND"));
  EXPECT_NE(text.find("characters truncated"), std::string::npos);
}

TEST_F(BashToolTest, NoOutput) {
  ToolResult r = Sh("true");
  EXPECT_FALSE(r.is_error);
  EXPECT_NE(r.AllText().find("no output"), std::string::npos);
}

TEST_F(BashToolTest, BadInput) {
  EXPECT_TRUE(Bash(Json::object()).is_error);
  EXPECT_TRUE(Sh("   ").is_error);
  EXPECT_TRUE(Bash(Json{{"command", "echo"}, {"timeout", "soon"}}).is_error);
  ToolResult r = Bash(Json{{"command", "echo hi"}, {"run_in_background", true}});
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("run_in_background"), std::string::npos);
}

TEST(BashToolFake, SpecDefaultsAndLimits) {
  testing::FakeEnv env;
  env.files["/bin/bash"] = "";
  env.files["/proj/x"] = "";  // makes /proj a directory
  FakeRunner runner;
  runner.result.exit_code = 0;
  runner.result.stdout_data = "hi\n\n__BROCK_CWD__/proj\n";
  ContextHolder h("/proj", env, runner);
  auto tool = MakeBashTool();

  ToolResult r = RunOk(*tool, {{"command", "echo hi"}, {"description", "Say hi"}}, h.ctx);
  EXPECT_EQ(r.AllText(), "hi");
  ASSERT_EQ(runner.specs.size(), 1u);
  const ProcessSpec& spec = runner.specs[0];
  ASSERT_EQ(spec.argv.size(), 5u);
  EXPECT_EQ(spec.argv[0], "/bin/bash");
  EXPECT_EQ(spec.argv[1], "-c");
  EXPECT_EQ(spec.argv[4], "echo hi") << "the command is passed as a parameter";
  EXPECT_TRUE(spec.shell_command.empty());
  EXPECT_EQ(spec.cwd, "/proj");
  EXPECT_EQ(spec.timeout, std::chrono::milliseconds(kBashDefaultTimeoutMs));

  (void)RunOk(*tool, {{"command", "x"}, {"timeout", 9999999}}, h.ctx);
  EXPECT_EQ(runner.specs.back().timeout, std::chrono::milliseconds(kBashMaxTimeoutMs));
  (void)RunOk(*tool, {{"command", "x"}, {"timeout", 1500}}, h.ctx);
  EXPECT_EQ(runner.specs.back().timeout, std::chrono::milliseconds(1500));

  env.vars["BASH_DEFAULT_TIMEOUT_MS"] = "5000";
  env.vars["BASH_MAX_TIMEOUT_MS"] = "7000";
  (void)RunOk(*tool, {{"command", "x"}}, h.ctx);
  EXPECT_EQ(runner.specs.back().timeout, std::chrono::milliseconds(5000));
  (void)RunOk(*tool, {{"command", "x"}, {"timeout", 60000}}, h.ctx);
  EXPECT_EQ(runner.specs.back().timeout, std::chrono::milliseconds(7000));

  env.files.erase("/bin/bash");
  (void)RunOk(*tool, {{"command", "x"}}, h.ctx);
  EXPECT_EQ(runner.specs.back().argv[0], "/bin/sh");
}

TEST(BashToolFake, OutputLimitFromEnvAndSignals) {
  testing::FakeEnv env;
  env.files["/proj/x"] = "";
  env.vars["BASH_MAX_OUTPUT_LENGTH"] = "100";
  FakeRunner runner;
  runner.result.stdout_data = std::string(1000, 'a');
  runner.result.exit_code = -1;
  runner.result.term_signal = 9;
  ContextHolder h("/proj", env, runner);
  auto tool = MakeBashTool();
  ToolResult r = RunOk(*tool, {{"command", "x"}}, h.ctx);
  EXPECT_TRUE(r.is_error);
  EXPECT_LT(r.AllText().size(), 200u);
  EXPECT_NE(r.AllText().find("killed by signal 9"), std::string::npos);
}

TEST(BashToolFake, VanishedCwdFallsBack) {
  testing::FakeEnv env;
  env.files["/home/user/project/f"] = "";
  FakeRunner runner;
  runner.result.exit_code = 0;
  ContextHolder h("/gone", env, runner);
  auto tool = MakeBashTool();
  ToolResult r = RunOk(*tool, {{"command", "ls"}}, h.ctx);
  EXPECT_EQ(runner.specs.back().cwd, "/home/user/project");
  EXPECT_EQ(h.ctx.cwd, "/home/user/project");
  EXPECT_NE(r.AllText().find("no longer exists"), std::string::npos);
}

TEST(BashToolFake, StartFailureIsAToolError) {
  testing::FakeEnv env;
  FakeRunner runner;
  runner.fail = true;
  ContextHolder h("/home/user/project", env, runner);
  auto tool = MakeBashTool();
  ToolResult r = RunOk(*tool, {{"command", "ls"}}, h.ctx);
  EXPECT_TRUE(r.is_error);
  EXPECT_NE(r.AllText().find("Could not start"), std::string::npos);
}

TEST(BashTool, SubjectAndSchema) {
  testing::FakeEnv env;
  FakeRunner runner;
  ContextHolder h("/p", env, runner);
  auto tool = MakeBashTool();
  EXPECT_EQ(tool->name(), "Bash");
  EXPECT_FALSE(tool->read_only());
  EXPECT_FALSE(tool->edits_files());
  PermissionSubject s = tool->Subject({{"command", "npm run test -- -x"}}, h.ctx);
  EXPECT_EQ(s.kind, PermissionSubject::Kind::kCommand);
  EXPECT_EQ(s.value, "npm run test -- -x");
  Json schema = tool->input_schema();
  EXPECT_EQ(schema["required"], Json::array({"command"}));
  EXPECT_TRUE(schema["properties"].contains("timeout"));
  EXPECT_TRUE(schema["properties"].contains("description"));
}

TEST(BashHelpers, TruncateMiddle) {
  EXPECT_EQ(TruncateMiddle("short", 10), "short");
  std::string t = TruncateMiddle(std::string(50, 'a') + std::string(50, 'b'), 20);
  EXPECT_TRUE(StartsWith(t, std::string(10, 'a') + "\n"));
  EXPECT_TRUE(EndsWith(t, "\n" + std::string(10, 'b')));
  EXPECT_NE(t.find("[80 characters truncated]"), std::string::npos);
}

TEST(BashHelpers, TakeCwdTrailer) {
  std::string out = "data\n\n__BROCK_CWD__/a b\n";
  EXPECT_EQ(TakeCwdTrailer(&out), "/a b");
  EXPECT_EQ(out, "data\n");
  out = "__BROCK_CWD__ printed by the user\nmore\n";
  EXPECT_EQ(TakeCwdTrailer(&out), "");
  EXPECT_EQ(out, "__BROCK_CWD__ printed by the user\nmore\n");
  out = "x\n__BROCK_CWD__/fake\nlater output\n";  // not the last thing: not ours
  EXPECT_EQ(TakeCwdTrailer(&out), "");
}

}  // namespace
}  // namespace brock
