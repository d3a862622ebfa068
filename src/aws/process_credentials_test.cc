#include "aws/process_credentials.h"

#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <gtest/gtest.h>

#include "aws/credential_time.h"
#include "base/secrets.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

namespace fs = std::filesystem;

TEST(SplitCommandLineTest, ShellQuotingWithoutExpansion) {
  struct Case {
    const char* in;
    std::vector<std::string> out;
  };
  std::vector<Case> cases = {
      {"creds", {"creds"}},
      {"  a   b\tc ", {"a", "b", "c"}},
      {"'/opt/my tools/x' \"two words\"", {"/opt/my tools/x", "two words"}},
      {"a'b c'd", {"ab cd"}},
      {R"("say \"hi\" \$HOME \\ \n")", {R"(say "hi" $HOME \ \n)"}},
      {R"('it'\''s')", {"it's"}},
      {R"(a\ b c\;d)", {"a b", "c;d"}},
      {"x ';' $(rm -rf /) `id` *", {"x", ";", "$(rm", "-rf", "/)", "`id`", "*"}},
      {"''", {""}},
      {"a \"\" b", {"a", "", "b"}},
  };
  for (const auto& c : cases) {
    auto r = SplitCommandLine(c.in);
    ASSERT_TRUE(r.ok()) << c.in << ": " << r.error().message;
    EXPECT_EQ(*r, c.out) << c.in;
  }
  for (const char* bad : {"'open", "\"open", "trailing\\", "", "   "}) {
    auto r = SplitCommandLine(bad);
    ASSERT_FALSE(r.ok()) << bad;
    EXPECT_EQ(r.error().code, "process.bad_command");
  }
}

TEST(ParseProcessCredentialsTest, VersionOneShapes) {
  auto full = ParseProcessCredentials(
      R"({"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"proc-secret-abcdef","SessionToken":"proc-token-abcdef","Expiration":"2026-01-01T02:00:00Z","AccountId":"123"})",
      "test");
  ASSERT_TRUE(full.ok()) << full.error().message;
  EXPECT_EQ(full->session_token, "proc-token-abcdef");
  EXPECT_EQ(full->account_id, "123");
  EXPECT_EQ(FormatIso8601(*full->expiration), "2026-01-01T02:00:00Z");

  auto minimal = ParseProcessCredentials(
      R"({"Version":1,"AccessKeyId":"AKID","SecretAccessKey":"s-12345678"})", "t");
  ASSERT_TRUE(minimal.ok());
  EXPECT_FALSE(minimal->expiration.has_value());
  EXPECT_EQ(minimal->session_token, "");

  struct Bad {
    const char* out;
    const char* says;
  };
  for (
      const Bad& b : std::vector<Bad>{
          {"not json", "not a JSON object"},
          {R"({"AccessKeyId":"A","SecretAccessKey":"leaky-secret-1"})", "without \"Version\""},
          {R"({"Version":2,"AccessKeyId":"A","SecretAccessKey":"leaky-secret-2"})",
           "unsupported \"Version\" 2"},
          {R"({"Version":1,"SecretAccessKey":"leaky-secret-3"})", "without \"AccessKeyId\""},
          {R"({"Version":1,"AccessKeyId":"A"})", "without \"SecretAccessKey\""},
          {R"({"Version":1,"AccessKeyId":"A","SecretAccessKey":"leaky-secret-4","Expiration":"tomorrow"})",
           "not an ISO 8601"},
      }) {
    auto r = ParseProcessCredentials(b.out, "credential_process of profile p");
    ASSERT_FALSE(r.ok()) << b.out;
    EXPECT_EQ(r.error().code, "process.bad_output");
    EXPECT_NE(r.error().message.find(b.says), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().message.find("leaky-secret"), std::string::npos);
  }
}

// Real processes: scripts written to a temporary directory whose name has a space.
class ProcessCredentialsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("brock process test " + std::to_string(getpid()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
  }
  void TearDown() override { fs::remove_all(dir_); }

  std::string Script(const std::string& name, const std::string& body) {
    fs::path p = dir_ / name;
    std::ofstream(p) << "#!/bin/sh\n" << body;
    chmod(p.c_str(), 0755);
    return p.string();
  }
  Result<std::optional<Credentials>> Run(
      const std::string& command, std::chrono::milliseconds timeout = std::chrono::seconds(20)) {
    ProcessCredentialProvider p(env_, RealProcessRunner(), "dev", command, "/home/user/.aws/config",
                                timeout);
    return p.Load();
  }

  fs::path dir_;
  testing::FakeEnv env_;  // clock 2026-01-01T00:00:00Z
};

TEST_F(ProcessCredentialsTest, ArgvKeepsQuotesAndSpacesAndIsNotRunByAShell) {
  std::string args = (dir_ / "args").string();
  std::string pwned = (dir_ / "pwned").string();
  std::string script =
      Script("creds tool.sh",
             "for a in \"$@\"; do printf '[%s]\\n' \"$a\" >> \"$ARGS_FILE\"; done\n"
             "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDPROC\", \"SecretAccessKey\": "
             "\"proc-secret-0123456\", \"SessionToken\": \"proc-token-0123456\", "
             "\"Expiration\": \"2026-01-01T03:00:00Z\"}'\n");
  setenv("ARGS_FILE", args.c_str(), 1);
  std::string command =
      "'" + script + "' --role \"Dev Ops\" it\\'s 'a;touch " + pwned + "' $(touch x)";
  auto r = Run(command);
  unsetenv("ARGS_FILE");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  ASSERT_TRUE(r->has_value());
  std::ifstream in(args);
  std::string seen((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(seen, "[--role]\n[Dev Ops]\n[it's]\n[a;touch " + pwned + "]\n[$(touch]\n[x)]\n");
  EXPECT_FALSE(fs::exists(pwned)) << "a shell ran the command";

  const Credentials& c = **r;
  EXPECT_EQ(c.access_key_id, "AKIDPROC");
  EXPECT_EQ(c.session_token, "proc-token-0123456");
  EXPECT_EQ(c.profile, "dev");
  ASSERT_TRUE(c.expiration.has_value());
  EXPECT_EQ(*c.expiration, env_.now + std::chrono::hours(3));
  EXPECT_EQ(ScrubSecrets("proc-secret-0123456"), "[REDACTED]");
}

TEST_F(ProcessCredentialsTest, ExpiredCredentialsAreRefused) {
  std::string script =
      Script("old.sh",
             "echo '{\"Version\": 1, \"AccessKeyId\": \"AKIDOLD\", \"SecretAccessKey\": "
             "\"old-secret-0123456\", \"Expiration\": \"2025-12-31T23:59:00Z\"}'\n");
  auto r = Run("'" + script + "'");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "process.expired");
  EXPECT_NE(r.error().message.find("2025-12-31T23:59:00Z"), std::string::npos);
}

TEST_F(ProcessCredentialsTest, FailureShowsStderr) {
  std::string script =
      Script("fail.sh",
             "echo '{\"half\": \"stdout-secret-abc\"' \necho 'error: SSO session expired' >&2\n"
             "echo 'run: aws sso login --profile corp' >&2\nexit 3\n");
  auto r = Run("'" + script + "'");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "process.failed");
  EXPECT_NE(r.error().message.find("exited with status 3"), std::string::npos) << r.error().message;
  EXPECT_NE(
      r.error().message.find("error: SSO session expired | run: aws sso login --profile corp"),
      std::string::npos)
      << r.error().message;
  EXPECT_EQ(r.error().message.find("stdout-secret"), std::string::npos);
}

TEST_F(ProcessCredentialsTest, BadOutputDoesNotLeakIt) {
  std::string script =
      Script("bad.sh", "echo 'AccessKeyId=AKID SecretAccessKey=plain-secret-xyz'\n");
  auto r = Run("'" + script + "'");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "process.bad_output");
  EXPECT_EQ(r.error().message.find("plain-secret"), std::string::npos);
}

TEST_F(ProcessCredentialsTest, TimeoutKillsTheProcess) {
  std::string script = Script("slow.sh", "echo 'waiting for the browser' >&2\nsleep 30\n");
  auto start = std::chrono::steady_clock::now();
  auto r = Run("'" + script + "'", std::chrono::milliseconds(300));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "process.timeout");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
}

TEST_F(ProcessCredentialsTest, MissingProgramIsAStartError) {
  auto r = Run("'" + (dir_ / "no such program").string() + "' --flag");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "process.start_failed");
  EXPECT_NE(r.error().fix.find("credential_process"), std::string::npos);
}

TEST(StderrTailTest, KeepsTheLastLinesAndScrubs) {
  RegisterSecret("tail-secret-value");
  EXPECT_EQ(StderrTail("a\n\nb\nc tail-secret-value\nd\n", 3), "b | c [REDACTED] | d");
}

}  // namespace
}  // namespace brock
