#include "agent/transcript.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/time.h>

#include <nlohmann/json.hpp>

#include "base/secrets.h"
#include "base/strings.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

Json UserText(const std::string& text) {
  return {{"role", "user"}, {"content", Json::array({{{"type", "text"}, {"text", text}}})}};
}
Json AssistantText(const std::string& text) {
  return {{"role", "assistant"}, {"content", Json::array({{{"type", "text"}, {"text", text}}})}};
}
Json ToolUse(const std::string& id) {
  return {{"type", "tool_use"}, {"id", id}, {"name", "Bash"}, {"input", {{"command", "ls"}}}};
}
Json ToolResult(const std::string& id) {
  return {{"type", "tool_result"}, {"tool_use_id", id}, {"content", "ok"}};
}

TEST(Transcript, SanitizeCwd) {
  EXPECT_EQ(SanitizeCwd("/home/me/my.project"), "-home-me-my-project");
  std::string longpath = "/" + std::string(300, 'a');
  std::string s = SanitizeCwd(longpath);
  EXPECT_EQ(s.size(), 200u);
  EXPECT_NE(SanitizeCwd(longpath), SanitizeCwd(longpath + "b"));
}

TEST(Transcript, LivesInBrocksDirectoryNotClaudeCodes) {
  testing::FakeEnv env;
  EXPECT_EQ(SessionsRoot(env), "/home/user/.brock/sessions");
  env.vars["BROCK_HOME"] = "/data/brock";
  EXPECT_EQ(ProjectSessionsDir(env, "/p/q"), "/data/brock/sessions/-p-q");
  auto w = TranscriptWriter::Create(env, "/p/q", "m");
  ASSERT_TRUE(w.ok());
  EXPECT_TRUE(StartsWith(w->path(), "/data/brock/sessions/-p-q/"));
  for (const auto& [path, _] : env.files) {
    EXPECT_EQ(path.find("/.claude/"), std::string::npos) << path;
  }
}

TEST(Transcript, RoundTrip) {
  testing::FakeEnv env;
  auto w = TranscriptWriter::Create(env, "/home/user/project", "us.anthropic.claude-x");
  ASSERT_TRUE(w.ok());
  EXPECT_EQ(w->session_id().size(), 36u);
  EXPECT_EQ(w->session_id()[14], '4');  // UUID v4
  EXPECT_EQ(w->path(),
            "/home/user/.brock/sessions/-home-user-project/" + w->session_id() + ".jsonl");
  auto u1 = w->Append(UserText("hello ünïcode"));
  ASSERT_TRUE(u1.ok());
  Json a = {{"role", "assistant"},
            {"content", Json::array({{{"type", "text"}, {"text", "hi"}}, ToolUse("t1")})}};
  auto u2 = w->Append(a);
  ASSERT_TRUE(u2.ok());
  ASSERT_TRUE(w->AppendEvent("usage", {{"input_tokens", 10}, {"output_tokens", 3}}).ok());
  ASSERT_TRUE(w->Append({{"role", "user"}, {"content", Json::array({ToolResult("t1")})}}).ok());

  // One line per record, each complete.
  const std::string& text = env.files[w->path()];
  EXPECT_EQ(std::count(text.begin(), text.end(), '\n'), 5);
  EXPECT_EQ(text.back(), '\n');
  Json second = Json::parse(
      text.substr(text.find('\n') + 1, text.find('\n', text.find('\n') + 1) - text.find('\n') - 1));
  EXPECT_EQ(second["type"], "message");
  EXPECT_FALSE(second.contains("parent_uuid"));
  EXPECT_EQ(second["timestamp"], "2026-01-01T00:00:00.000Z");

  auto t = LoadTranscript(env, w->path());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->session_id, w->session_id());
  EXPECT_EQ(t->cwd, "/home/user/project");
  EXPECT_EQ(t->model, "us.anthropic.claude-x");
  EXPECT_EQ(t->created_at, "2026-01-01T00:00:00.000Z");
  ASSERT_EQ(t->messages.size(), 3u);
  EXPECT_EQ(t->messages[0], UserText("hello ünïcode"));
  EXPECT_EQ(t->messages[1], a);
  ASSERT_EQ(t->events.size(), 1u);
  EXPECT_EQ(t->events[0]["type"], "usage");
  EXPECT_EQ(t->events[0]["input_tokens"], 10);
  EXPECT_TRUE(t->warnings.empty());

  // Parent links form a chain.
  auto resumed = TranscriptWriter::Resume(env, w->path());
  ASSERT_TRUE(resumed.ok());
  EXPECT_EQ(resumed->session_id(), w->session_id());
  auto u4 = resumed->Append(UserText("again"));
  ASSERT_TRUE(u4.ok());
  std::string last = env.files[w->path()];
  last.pop_back();
  Json last_line = Json::parse(last.substr(last.rfind('\n') + 1));
  EXPECT_EQ(last_line["parent_uuid"], t->last_uuid);
}

TEST(Transcript, InvalidUtf8DoesNotThrow) {
  testing::FakeEnv env;
  auto w = TranscriptWriter::Create(env, "/p", "m");
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->Append(UserText(std::string("bad \xff\xfe bytes"))).ok());
  auto t = LoadTranscript(env, w->path());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->messages.size(), 1u);
}

TEST(Transcript, SecretsAreScrubbed) {
  RegisterSecret("wJalrXUtnFEMI/K7MDENG/bPxRfiCYTRANSCRIPT");
  testing::FakeEnv env;
  auto w = TranscriptWriter::Create(env, "/p", "m");
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->Append(UserText("key wJalrXUtnFEMI/K7MDENG/bPxRfiCYTRANSCRIPT here")).ok());
  ASSERT_TRUE(w->AppendEvent("note", {{"x", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYTRANSCRIPT"}}).ok());
  const std::string& text = env.files[w->path()];
  EXPECT_EQ(text.find("wJalrXUtnFEMI"), std::string::npos);
  EXPECT_NE(text.find("[REDACTED]"), std::string::npos);
}

TEST(Transcript, HalfWrittenLastLineIsIgnored) {
  testing::FakeEnv env;
  auto w = TranscriptWriter::Create(env, "/p", "m");
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->Append(UserText("one")).ok());
  ASSERT_TRUE(w->Append(AssistantText("two")).ok());
  std::string& text = env.files[w->path()];
  text += R"({"type":"message","uuid":"x","message":{"role":"user","cont)";
  auto t = LoadTranscript(env, w->path());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->messages.size(), 2u);
  ASSERT_EQ(t->warnings.size(), 1u);
  EXPECT_NE(t->warnings[0].find("half-written"), std::string::npos);
  EXPECT_NE(t->warnings[0].find(":4:"), std::string::npos) << t->warnings[0];
}

TEST(Transcript, CorruptMiddleLineIsSkipped) {
  testing::FakeEnv env;
  std::string path = "/t.jsonl";
  env.files[path] =
      R"({"type":"session","version":1,"session_id":"s","cwd":"/p","model":"m","created_at":"x"})"
      "\n"
      R"({"type":"message","uuid":"a","message":{"role":"user","content":"hi"}})"
      "\n"
      "\x01garbage{{{\n"
      "[1,2]\n"
      R"({"type":"message","uuid":"b","message":{"role":"assistant","content":"yo"}})"
      "\n";
  auto t = LoadTranscript(env, path);
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->messages.size(), 2u);
  EXPECT_EQ(t->last_uuid, "b");
  ASSERT_EQ(t->warnings.size(), 2u);
  EXPECT_NE(t->warnings[0].find("/t.jsonl:3: skipped a corrupt line"), std::string::npos);
}

TEST(Transcript, MissingFileIsAnError) {
  testing::FakeEnv env;
  auto t = LoadTranscript(env, "/nope.jsonl");
  ASSERT_FALSE(t.ok());
  EXPECT_EQ(t.error().code, "transcript.not_found");
  EXPECT_FALSE(t.error().fix.empty());
}

TEST(Transcript, CompactionReplacesEarlierMessages) {
  testing::FakeEnv env;
  auto w = TranscriptWriter::Create(env, "/p", "m");
  ASSERT_TRUE(w.ok());
  ASSERT_TRUE(w->Append(UserText("old")).ok());
  ASSERT_TRUE(w->Append(AssistantText("old reply")).ok());
  ASSERT_TRUE(w->AppendEvent("compaction", {{"summary", "we talked"}}).ok());
  ASSERT_TRUE(w->Append(AssistantText("new")).ok());
  auto t = LoadTranscript(env, w->path());
  ASSERT_TRUE(t.ok());
  ASSERT_EQ(t->messages.size(), 2u);
  EXPECT_EQ(t->messages[0], UserText("we talked"));
  EXPECT_EQ(t->messages[1], AssistantText("new"));
}

TEST(RepairConversation, KilledMidTurnGetsInterruptedResults) {
  std::vector<Json> m = {
      UserText("run it"),
      {{"role", "assistant"},
       {"content",
        Json::array({{{"type", "text"}, {"text", "ok"}}, ToolUse("t1"), ToolUse("t2")})}}};
  auto notes = RepairConversation(m);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[2]["role"], "user");
  ASSERT_EQ(m[2]["content"].size(), 2u);
  EXPECT_EQ(m[2]["content"][0]["type"], "tool_result");
  EXPECT_EQ(m[2]["content"][0]["tool_use_id"], "t1");
  EXPECT_EQ(m[2]["content"][0]["is_error"], true);
  EXPECT_EQ(m[2]["content"][0]["content"], "interrupted");
  EXPECT_EQ(m[2]["content"][1]["tool_use_id"], "t2");
  EXPECT_EQ(notes.size(), 2u);

  // The next prompt merges into that user message on a second pass.
  m.push_back(UserText("continue"));
  RepairConversation(m);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[2]["content"].size(), 3u);
  EXPECT_EQ(m[2]["content"][2]["text"], "continue");
}

TEST(RepairConversation, PartialResultsAreCompletedResultsFirst) {
  std::vector<Json> m = {
      UserText("go"),
      {{"role", "assistant"}, {"content", Json::array({ToolUse("a"), ToolUse("b")})}},
      {{"role", "user"},
       {"content", Json::array({{{"type", "text"}, {"text", "note"}}, ToolResult("b")})}}};
  RepairConversation(m);
  ASSERT_EQ(m.size(), 3u);
  const Json& c = m[2]["content"];
  ASSERT_EQ(c.size(), 3u);
  EXPECT_EQ(c[0]["tool_use_id"], "b");
  EXPECT_EQ(c[1]["tool_use_id"], "a");
  EXPECT_EQ(c[1]["content"], "interrupted");
  EXPECT_EQ(c[2]["type"], "text");
}

TEST(RepairConversation, MergesDropsAndCleans) {
  std::vector<Json> m = {
      AssistantText("orphan start"),
      UserText("a"),
      {{"role", "user"}, {"content", "b"}},
      {{"role", "user"}, {"content", Json::array({ToolResult("ghost")})}},
      {{"role", "assistant"}, {"content", Json::array()}},
      {{"role", "system"}, {"content", "x"}},
      AssistantText("c"),
      {{"role", "assistant"},
       {"content", Json::array({{{"type", "tool_use"}, {"id", "p"}, {"name", "Bash"}}})}},
      AssistantText("d")};
  auto notes = RepairConversation(m);
  ASSERT_EQ(m.size(), 2u);
  EXPECT_EQ(m[0]["role"], "user");
  ASSERT_EQ(m[0]["content"].size(), 2u);
  EXPECT_EQ(m[0]["content"][1]["text"], "b");
  EXPECT_EQ(m[1]["role"], "assistant");
  EXPECT_EQ(m[1]["content"].size(), 2u);
  EXPECT_FALSE(notes.empty());
  // A valid conversation is left alone.
  std::vector<Json> ok = {UserText("q"), AssistantText("a")};
  auto copy = ok;
  EXPECT_TRUE(RepairConversation(ok).empty());
  EXPECT_EQ(ok, copy);
}

TEST(RepairConversation, StaleResultIsReplacedByInterrupted) {
  std::vector<Json> m = {UserText("go"),
                         {{"role", "assistant"}, {"content", Json::array({ToolUse("x")})}},
                         {{"role", "user"}, {"content", Json::array({ToolResult("stale")})}},
                         AssistantText("after")};
  RepairConversation(m);
  ASSERT_EQ(m.size(), 4u);
  ASSERT_EQ(m[2]["content"].size(), 1u);
  EXPECT_EQ(m[2]["content"][0]["tool_use_id"], "x");
  EXPECT_EQ(m[2]["content"][0]["content"], "interrupted");
}

TEST(RepairConversation, DroppedUserBetweenAssistantsStillPairs) {
  std::vector<Json> m = {UserText("go"),
                         AssistantText("thinking"),
                         {{"role", "user"}, {"content", Json::array({ToolResult("ghost")})}},
                         {{"role", "assistant"}, {"content", Json::array({ToolUse("y")})}}};
  RepairConversation(m);
  ASSERT_EQ(m.size(), 3u);
  EXPECT_EQ(m[1]["role"], "assistant");
  EXPECT_EQ(m[1]["content"].size(), 2u);
  EXPECT_EQ(m[2]["role"], "user");
  EXPECT_EQ(m[2]["content"][0]["tool_use_id"], "y");
}

TEST(FindSession, ExactPrefixAmbiguousAndMissing) {
  testing::FakeEnv env;
  env.files["/home/user/.brock/sessions/-a/11111111-aaaa-4aaa-8aaa-000000000001.jsonl"] = "{}\n";
  env.files["/home/user/.brock/sessions/-b/11112222-aaaa-4aaa-8aaa-000000000002.jsonl"] = "{}\n";
  env.files["/home/user/.brock/sessions/-b/notes.txt"] = "";
  auto exact = FindSession(env, "11111111-aaaa-4aaa-8aaa-000000000001");
  ASSERT_TRUE(exact.ok());
  EXPECT_EQ(*exact, "/home/user/.brock/sessions/-a/11111111-aaaa-4aaa-8aaa-000000000001.jsonl");
  auto prefix = FindSession(env, "11112");
  ASSERT_TRUE(prefix.ok());
  EXPECT_NE(prefix->find("-b/11112222"), std::string::npos);
  auto amb = FindSession(env, "1111");
  ASSERT_FALSE(amb.ok());
  EXPECT_EQ(amb.error().code, "session.ambiguous");
  auto none = FindSession(env, "9999");
  ASSERT_FALSE(none.ok());
  EXPECT_EQ(none.error().code, "session.not_found");
  auto by_path =
      FindSession(env, "/home/user/.brock/sessions/-a/11111111-aaaa-4aaa-8aaa-000000000001.jsonl");
  EXPECT_TRUE(by_path.ok());
}

TEST(FindLatestSession, NoneIsAnError) {
  testing::FakeEnv env;
  auto r = FindLatestSession(env, "/p");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "session.none");
}

TEST(FindLatestSession, TiesOnMtimeGoToLaterCreation) {
  testing::FakeEnv env;  // testing::FakeEnv reports one mtime for every file
  auto first = TranscriptWriter::Create(env, "/p", "m");
  env.now += std::chrono::seconds(5);
  auto second = TranscriptWriter::Create(env, "/p", "m");
  auto other = TranscriptWriter::Create(env, "/q", "m");
  ASSERT_TRUE(first.ok() && second.ok() && other.ok());
  auto latest = FindLatestSession(env, "/p");
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(*latest, second->path());
  EXPECT_EQ(ListSessions(env, "/p").size(), 2u);
}

// The real file system under a temporary HOME (BROCK_HOME ignored).
class TempHomeEnv : public Env {
 public:
  explicit TempHomeEnv(std::string home) : real_(RealEnv()), home_(std::move(home)) {}
  std::optional<std::string> GetVar(std::string_view name) const override {
    if (name == "BROCK_HOME") return std::nullopt;
    return real_.GetVar(name);
  }
  void SetVar(std::string_view, std::string_view, std::string_view) override {}
  void UnsetVar(std::string_view, std::string_view) override {}
  std::string VarOrigin(std::string_view n) const override { return real_.VarOrigin(n); }
  std::map<std::string, std::string> AllVars() const override { return real_.AllVars(); }
  std::string HomeDir() const override { return home_; }
  std::string CurrentDir() const override { return home_; }
  Clock::time_point Now() const override { return real_.Now(); }
  void SleepFor(std::chrono::milliseconds d) override {}
  Result<std::string> ReadFile(const std::string& p) const override { return real_.ReadFile(p); }
  FileInfo Stat(const std::string& p) const override { return real_.Stat(p); }
  Status WriteFileAtomic(const std::string& p, std::string_view d, uint32_t m) override {
    return real_.WriteFileAtomic(p, d, m);
  }
  Status AppendFile(const std::string& p, std::string_view d, uint32_t m) override {
    return real_.AppendFile(p, d, m);
  }
  std::vector<std::string> ListDir(const std::string& p) const override { return real_.ListDir(p); }
  Status MakeDirs(const std::string& p, uint32_t m) override { return real_.MakeDirs(p, m); }
  Status RemoveFile(const std::string& p) override { return real_.RemoveFile(p); }

 private:
  Env& real_;
  std::string home_;
};

class RealTranscript : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/brock-transcript-XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    home_ = tmpl;
  }
  void TearDown() override {
    std::string cmd = "rm -rf '" + home_ + "'";
    ASSERT_EQ(system(cmd.c_str()), 0);
  }
  std::string home_;
};

TEST_F(RealTranscript, FileModesAre0600And0700) {
  TempHomeEnv env(home_);
  auto w = TranscriptWriter::Create(env, "/some/project", "m");
  ASSERT_TRUE(w.ok()) << w.error().ToString();
  ASSERT_TRUE(w->Append(UserText("hi")).ok());
  struct stat st;
  ASSERT_EQ(stat(w->path().c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0600u);
  ASSERT_EQ(stat(DirName(w->path()).c_str(), &st), 0);
  EXPECT_EQ(st.st_mode & 0777, 0700u);
  auto t = LoadTranscript(env, w->path());
  ASSERT_TRUE(t.ok());
  EXPECT_EQ(t->messages.size(), 1u);
}

TEST_F(RealTranscript, LatestSessionIsByModificationTime) {
  TempHomeEnv env(home_);
  auto a = TranscriptWriter::Create(env, "/proj", "m");
  auto b = TranscriptWriter::Create(env, "/proj", "m");
  ASSERT_TRUE(a.ok() && b.ok());
  // b is older on disk; a was touched last.
  struct timeval old_times[2] = {{1000000000, 0}, {1000000000, 0}};
  ASSERT_EQ(utimes(b->path().c_str(), old_times), 0);
  auto latest = FindLatestSession(env, "/proj");
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(*latest, a->path());
  // Appending to b makes it the latest.
  ASSERT_TRUE(b->Append(UserText("more")).ok());
  struct timeval older[2] = {{1000000001, 0}, {1000000001, 0}};
  ASSERT_EQ(utimes(a->path().c_str(), older), 0);
  latest = FindLatestSession(env, "/proj");
  ASSERT_TRUE(latest.ok());
  EXPECT_EQ(*latest, b->path());
}

}  // namespace
}  // namespace brock
