#include "agent/permission_policy.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <future>
#include <thread>

#include "testing/tool_test_util.h"

namespace brock {
namespace {

using brock::testing::ContextHolder;
using M = PermissionMode;

constexpr const char* kCwd = "/proj/app";
constexpr const char* kHome = "/home/me";

PermissionRuleSpec R(std::string rule, std::string list) {
  return {std::move(rule), std::move(list), "/proj/.claude/settings.json", "/proj"};
}

// The built-in tools, an engine over `rules` and `mode`, and a context rooted at kCwd. The asker
// records every question and answers with `answer` (or the next of `answers`).
class PermissionPolicyTest : public ::testing::Test {
 protected:
  void SetEngine(std::vector<PermissionRuleSpec> rules, M mode = M::kDefault) {
    engine_ = std::make_unique<PermissionEngine>(std::move(rules), mode, kCwd,
                                                 std::vector<std::string>{}, kHome);
  }

  PermissionAsker Asker() {
    return [this](const Tool& tool, const Json& input, const PermissionDecision& d) {
      std::lock_guard<std::mutex> lock(asked_mu_);
      asked_.push_back(tool.name() + " " + input.dump());
      decisions_.push_back(d);
      if (!answers_.empty()) {
        AskAnswer a = answers_.front();
        answers_.erase(answers_.begin());
        return a;
      }
      return answer_;
    };
  }

  const Tool& T(const std::string& name) {
    for (auto& t : tools_) {
      if (t->name() == name) return *t;
    }
    ADD_FAILURE() << "no tool " << name;
    return *tools_.front();
  }

  std::optional<std::string> Bash(PermissionPolicy& p, const std::string& command) {
    return p.Authorize(T("Bash"), Json{{"command", command}}, ctx_.ctx);
  }
  std::optional<std::string> OnFile(PermissionPolicy& p, const std::string& tool,
                                    const std::string& path) {
    Json input = {{"file_path", path}};
    if (tool == "Write") input["content"] = "x";
    if (tool == "Edit") {
      input["old_string"] = "a";
      input["new_string"] = "b";
    }
    return p.Authorize(T(tool), input, ctx_.ctx);
  }
  std::string Reason(const std::string& tool, const PermissionSubject& subject) {
    return engine_->Check(T(tool), subject).reason;
  }

  std::vector<std::unique_ptr<Tool>> tools_ = MakeBuiltinTools();
  ContextHolder ctx_{kCwd};
  std::unique_ptr<PermissionEngine> engine_;
  std::mutex asked_mu_;
  std::vector<std::string> asked_;
  std::vector<PermissionDecision> decisions_;
  std::vector<AskAnswer> answers_;
  AskAnswer answer_ = AskAnswer::kAllowOnce;
};

PermissionSubject Cmd(std::string c) { return {PermissionSubject::Kind::kCommand, std::move(c)}; }
PermissionSubject Path(std::string p) { return {PermissionSubject::Kind::kPath, std::move(p)}; }

TEST_F(PermissionPolicyTest, AllowedCallsRunWithoutAsking) {
  SetEngine({R("Bash(make:*)", "allow")});
  PermissionPolicy policy(*engine_, Asker());
  EXPECT_EQ(Bash(policy, "make -j2"), std::nullopt);
  EXPECT_EQ(OnFile(policy, "Read", "/proj/app/src/main.cc"), std::nullopt);  // inside cwd
  EXPECT_TRUE(asked_.empty());
}

TEST_F(PermissionPolicyTest, DenyRulesDenyWithoutAsking) {
  SetEngine({R("Bash(rm:*)", "deny"), R("Edit(/app/locked/**)", "deny")});
  answer_ = AskAnswer::kAllowAlways;
  PermissionPolicy policy(*engine_, Asker());
  EXPECT_EQ(Bash(policy, "rm -rf build"),
            "Permission to use Bash was denied: " + Reason("Bash", Cmd("rm -rf build")));
  EXPECT_EQ(OnFile(policy, "Edit", "/proj/app/locked/a.txt"),
            "Permission to use Edit was denied: " + Reason("Edit", Path("/proj/app/locked/a.txt")));
  EXPECT_TRUE(asked_.empty());
  // An "always" for the editing tools does not lift a deny rule.
  EXPECT_EQ(OnFile(policy, "Edit", "/proj/app/open.txt"), std::nullopt);
  EXPECT_EQ(asked_.size(), 1u);
  EXPECT_NE(OnFile(policy, "Edit", "/proj/app/locked/a.txt"), std::nullopt);
  EXPECT_EQ(asked_.size(), 1u);
}

TEST_F(PermissionPolicyTest, PrintModeDeniesWhatNeedsApproval) {
  SetEngine({});
  PermissionPolicy policy(*engine_);
  std::string reason = Reason("Bash", Cmd("make"));
  ASSERT_FALSE(reason.empty());
  EXPECT_EQ(Bash(policy, "make"),
            "Permission to use Bash was not granted: " + reason +
                ". brock is running non-interactively (print mode), so actions that need "
                "approval are denied; the user can allow this with --allowedTools or "
                "permissions.allow in .claude/settings.json.");
  EXPECT_EQ(OnFile(policy, "Read", "/proj/app/README.md"), std::nullopt);  // still allowed
}

TEST_F(PermissionPolicyTest, TheAskerSeesTheCallAndTheReason) {
  SetEngine({R("Bash(git push:*)", "ask")});
  PermissionPolicy policy(*engine_, Asker());
  EXPECT_EQ(Bash(policy, "git push origin main"), std::nullopt);
  ASSERT_EQ(asked_.size(), 1u);
  EXPECT_EQ(asked_[0], "Bash {\"command\":\"git push origin main\"}");
  EXPECT_EQ(decisions_[0].behavior, PermissionBehavior::kAsk);
  EXPECT_EQ(decisions_[0].reason, Reason("Bash", Cmd("git push origin main")));
  EXPECT_EQ(decisions_[0].rule, "Bash(git push:*)");
}

TEST_F(PermissionPolicyTest, AllowOnceAsksAgainNextTime) {
  SetEngine({});
  PermissionPolicy policy(*engine_, Asker());
  EXPECT_EQ(Bash(policy, "make"), std::nullopt);
  EXPECT_EQ(Bash(policy, "make"), std::nullopt);
  EXPECT_EQ(asked_.size(), 2u);
}

TEST_F(PermissionPolicyTest, UserDenialTellsTheModelNotToRetry) {
  SetEngine({});
  answer_ = AskAnswer::kDeny;
  PermissionPolicy policy(*engine_, Asker());
  EXPECT_EQ(Bash(policy, "make"),
            "The user did not allow this Bash call. Do not retry it as is; ask the user how to "
            "proceed if it is needed.");
  // A denial is not remembered: the next call asks again.
  answer_ = AskAnswer::kAllowOnce;
  EXPECT_EQ(Bash(policy, "make"), std::nullopt);
  EXPECT_EQ(asked_.size(), 2u);
}

TEST_F(PermissionPolicyTest, AlwaysForBashHoldsForTheExactCommandOnly) {
  SetEngine({});
  answers_ = {AskAnswer::kAllowAlways, AskAnswer::kDeny, AskAnswer::kDeny};
  PermissionPolicy policy(*engine_, Asker());
  EXPECT_EQ(Bash(policy, "make test"), std::nullopt);
  EXPECT_EQ(Bash(policy, "make test"), std::nullopt);
  EXPECT_EQ(asked_.size(), 1u);
  EXPECT_NE(Bash(policy, "make install"), std::nullopt);
  EXPECT_NE(Bash(policy, "make test && rm -rf /"), std::nullopt);
  EXPECT_EQ(asked_.size(), 3u);
}

TEST_F(PermissionPolicyTest, AlwaysForAnEditingToolCoversWhatAcceptEditsWouldAllow) {
  SetEngine({});
  answers_ = {AskAnswer::kAllowAlways, AskAnswer::kDeny, AskAnswer::kAllowAlways,
              AskAnswer::kDeny,        AskAnswer::kDeny, AskAnswer::kDeny};
  PermissionPolicy policy(*engine_, Asker());
  EXPECT_EQ(OnFile(policy, "Edit", "/proj/app/a.txt"), std::nullopt);
  EXPECT_EQ(OnFile(policy, "Edit", "/proj/app/src/b.txt"), std::nullopt);
  EXPECT_EQ(asked_.size(), 1u);
  // Outside the working directories: asked, and not covered by the first "always".
  EXPECT_NE(OnFile(policy, "Edit", "/elsewhere/c.txt"), std::nullopt);
  EXPECT_EQ(asked_.size(), 2u);
  // "Always" outside covers that path only.
  EXPECT_EQ(OnFile(policy, "Edit", "/elsewhere/d.txt"), std::nullopt);
  EXPECT_EQ(OnFile(policy, "Edit", "/elsewhere/d.txt"), std::nullopt);
  EXPECT_EQ(asked_.size(), 3u);
  // Protected paths are asked every time, whatever was answered before.
  EXPECT_NE(OnFile(policy, "Edit", "/proj/app/.git/hooks/pre-commit"), std::nullopt);
  EXPECT_NE(OnFile(policy, "Edit", "/proj/app/.claude/settings.json"), std::nullopt);
  EXPECT_EQ(asked_.size(), 5u);
  // Another tool is asked about separately.
  EXPECT_NE(OnFile(policy, "Write", "/proj/app/a.txt"), std::nullopt);
  EXPECT_EQ(asked_.size(), 6u);
}

TEST_F(PermissionPolicyTest, AlwaysForBashSavesAnExactRuleAndNeverForSafetyChecks) {
  SetEngine({});
  answer_ = AskAnswer::kAllowAlways;
  std::vector<std::string> saved;
  PermissionPolicy policy(*engine_, Asker(),
                          [&](const std::string& rule) { saved.push_back(rule); });
  EXPECT_EQ(Bash(policy, "make test"), std::nullopt);
  EXPECT_EQ(Bash(policy, "ls *.o | xargs rm"), std::nullopt);
  EXPECT_EQ(Bash(policy, "npm test -g 'a\\nb'"), std::nullopt);
  EXPECT_EQ(Bash(policy, "make $(echo x)"), std::nullopt);  // parentheses: session only
  ASSERT_EQ(saved.size(), 3u);
  EXPECT_EQ(saved[0], "Bash(make test)");
  EXPECT_EQ(saved[1], "Bash(ls \\*.o | xargs rm)");
  EXPECT_EQ(saved[2], "Bash(npm test -g 'a\\nb')");
  // A critical-path removal asks every time and is never saved.
  EXPECT_EQ(Bash(policy, "rm -rf /"), std::nullopt);
  size_t asked = asked_.size();
  EXPECT_EQ(Bash(policy, "rm -rf /"), std::nullopt);
  EXPECT_EQ(asked_.size(), asked + 1);
  EXPECT_EQ(saved.size(), 3u);
}

TEST_F(PermissionPolicyTest, AlwaysForAReadOutsideTheWorkingDirectoryHoldsForThatPath) {
  SetEngine({});
  answers_ = {AskAnswer::kAllowAlways, AskAnswer::kDeny};
  PermissionPolicy policy(*engine_, Asker());
  EXPECT_EQ(OnFile(policy, "Read", "/etc/hosts"), std::nullopt);
  EXPECT_EQ(OnFile(policy, "Read", "/etc/hosts"), std::nullopt);
  EXPECT_EQ(asked_.size(), 1u);
  EXPECT_NE(OnFile(policy, "Read", "/etc/passwd"), std::nullopt);
  EXPECT_EQ(asked_.size(), 2u);
}

TEST_F(PermissionPolicyTest, AlwaysIsPerPolicy) {
  SetEngine({});
  answer_ = AskAnswer::kAllowAlways;
  PermissionPolicy first(*engine_, Asker());
  EXPECT_EQ(Bash(first, "make"), std::nullopt);
  PermissionPolicy second(*engine_);  // a new session (print mode) starts with nothing allowed
  EXPECT_NE(Bash(second, "make"), std::nullopt);
}

TEST_F(PermissionPolicyTest, DontAskModeDeniesWithoutAsking) {
  SetEngine({R("Bash(make:*)", "allow")}, M::kDontAsk);
  PermissionPolicy policy(*engine_, Asker());
  EXPECT_EQ(Bash(policy, "make"), std::nullopt);
  EXPECT_EQ(Bash(policy, "curl example.com"),
            "Permission to use Bash was denied: " + Reason("Bash", Cmd("curl example.com")));
  EXPECT_TRUE(asked_.empty());
}

TEST_F(PermissionPolicyTest, PlanModeDeniesEditsWithoutAsking) {
  SetEngine({}, M::kPlan);
  PermissionPolicy policy(*engine_, Asker());
  std::optional<std::string> r = OnFile(policy, "Write", "/proj/app/a.txt");
  ASSERT_NE(r, std::nullopt);
  EXPECT_NE(r->find("plan mode is on"), std::string::npos);
  EXPECT_TRUE(asked_.empty());
}

TEST_F(PermissionPolicyTest, ParallelCallsAskOneQuestionAtATime) {
  SetEngine({});
  std::atomic<int> in_question{0}, most_at_once{0}, questions{0};
  PermissionPolicy policy(*engine_, [&](const Tool&, const Json&, const PermissionDecision&) {
    int now = ++in_question;
    int seen = most_at_once.load();
    while (now > seen && !most_at_once.compare_exchange_weak(seen, now)) {
    }
    ++questions;
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    --in_question;
    return AskAnswer::kAllowOnce;
  });
  std::vector<std::thread> threads;
  std::atomic<int> allowed{0};
  for (int i = 0; i < 8; ++i) {
    threads.emplace_back([&, i] {
      if (OnFile(policy, "Read", "/etc/file" + std::to_string(i)) == std::nullopt) ++allowed;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 8);
  EXPECT_EQ(questions.load(), 8);
  EXPECT_EQ(most_at_once.load(), 1);
}

TEST_F(PermissionPolicyTest, ParallelCallsWaitingForAQuestionSeeItsAlways) {
  SetEngine({});
  std::atomic<int> questions{0};
  PermissionPolicy policy(*engine_, [&](const Tool&, const Json&, const PermissionDecision&) {
    ++questions;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
    return AskAnswer::kAllowAlways;
  });
  std::vector<std::thread> threads;
  std::atomic<int> allowed{0};
  for (int i = 0; i < 6; ++i) {
    threads.emplace_back([&] {
      if (OnFile(policy, "Read", "/etc/hosts") == std::nullopt) ++allowed;
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_EQ(allowed.load(), 6);
  EXPECT_EQ(questions.load(), 1);
}

TEST_F(PermissionPolicyTest, AllowedCallsDoNotWaitForAnOpenQuestion) {
  SetEngine({});
  std::promise<void> asking, release;
  std::shared_future<void> released = release.get_future().share();
  PermissionPolicy policy(*engine_, [&](const Tool&, const Json&, const PermissionDecision&) {
    asking.set_value();
    released.wait();
    return AskAnswer::kAllowOnce;
  });
  std::thread asker([&] { EXPECT_EQ(OnFile(policy, "Read", "/etc/hosts"), std::nullopt); });
  asking.get_future().wait();
  // The question is open; a read inside the working directory is decided at once.
  auto fast =
      std::async(std::launch::async, [&] { return OnFile(policy, "Read", "/proj/app/README.md"); });
  std::future_status status = fast.wait_for(std::chrono::seconds(10));
  release.set_value();
  EXPECT_EQ(status, std::future_status::ready);
  EXPECT_EQ(fast.get(), std::nullopt);
  asker.join();
}

}  // namespace
}  // namespace brock

namespace brock {
namespace {

// The prompt tool (--permission-prompt-tool): asked only where brock would ask; its new input
// passes the deny rules again.
class PromptToolPolicyTest : public PermissionPolicyTest {
 protected:
  PermissionPromptTool Prompt(PromptToolAnswer answer) {
    return [this, answer](const Tool& tool, const Json& input, const PermissionDecision&) {
      asked_.push_back(tool.name() + " " + input.dump());
      return answer;
    };
  }
};

TEST_F(PromptToolPolicyTest, DenyRuleWinsWithoutAskingTheTool) {
  SetEngine({R("Bash(rm:*)", "deny")});
  PermissionPolicy p(*engine_);
  PromptToolAnswer allow;
  allow.allow = true;
  p.set_prompt_tool(Prompt(allow));
  EXPECT_TRUE(Bash(p, "rm -rf x").has_value());
  EXPECT_TRUE(asked_.empty());
}

TEST_F(PromptToolPolicyTest, DenyCarriesTheToolsMessage) {
  SetEngine({});
  PermissionPolicy p(*engine_);
  PromptToolAnswer deny;
  deny.message = "not today";
  p.set_prompt_tool(Prompt(deny));
  EXPECT_EQ(Bash(p, "touch x"), "not today");
  EXPECT_EQ(asked_.size(), 1u);
}

TEST_F(PromptToolPolicyTest, UpdatedInputIsReturnedUnlessADenyRuleMatchesIt) {
  SetEngine({R("Bash(rm:*)", "deny")});
  PermissionPolicy p(*engine_);
  PromptToolAnswer allow;
  allow.allow = true;
  allow.updated_input = Json{{"command", "touch y"}};
  p.set_prompt_tool(Prompt(allow));
  Json updated;
  EXPECT_FALSE(p.Authorize(T("Bash"), Json{{"command", "touch x"}}, ctx_.ctx, &updated));
  EXPECT_EQ(updated["command"], "touch y");
  allow.updated_input = Json{{"command", "rm -rf /"}};
  p.set_prompt_tool(Prompt(allow));
  Json widened;
  auto denial = p.Authorize(T("Bash"), Json{{"command", "touch x"}}, ctx_.ctx, &widened);
  ASSERT_TRUE(denial.has_value());
  EXPECT_NE(denial->find("updatedInput"), std::string::npos) << *denial;
  EXPECT_TRUE(widened.is_null());
}

}  // namespace
}  // namespace brock
