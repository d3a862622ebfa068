// The setup guide's commands end to end against the emulator's Bedrock control plane:
// `brock models` (every page of the catalog, pins marked, --json, --pin writing user settings),
// `brock policy` (least privilege with the exact ARNs, in the aws and aws-us-gov partitions;
// --broad), and a mistyped subcommand suggesting the right one.
#include <sys/stat.h>

#include <filesystem>
#include <set>

#include <nlohmann/json.hpp>

#include "e2e_harness.h"

namespace brock::e2e {
namespace {

using nlohmann::json;

class GuideCommandsTest : public E2eTest {
 protected:
  // The emulator's endpoint for every service brock reaches.
  std::map<std::string, std::string> Endpoints() const {
    return {{"AWS_ENDPOINT_URL_BEDROCK", emulator_.url()},
            {"AWS_ENDPOINT_URL_STS", emulator_.url()},
            {"XDG_CACHE_HOME", root_ + "/cache"}};
  }
  std::vector<json> Operations(const std::string& op) const {
    std::vector<json> out;
    for (const auto& r : emulator_.Requests()) {
      if (r.value("operation", "") == op) out.push_back(r);
    }
    return out;
  }
};

TEST_F(GuideCommandsTest, ModelsListsEveryPageOfTheCatalogAndMarksThePins) {
  WriteGuideSetup("dev");
  WriteFile(home_ + "/.claude/settings.json",
            R"J({"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1",
                "AWS_PROFILE": "dev", "ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-4-6",
                "ANTHROPIC_DEFAULT_HAIKU_MODEL": "us.anthropic.claude-haiku-4-5-20251001-v1:0"}})J");
  StartEmulator();
  RunOutput r = RunBrock({"models", "--json"}, Endpoints());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  json j = json::parse(r.out);
  EXPECT_EQ(j["region"], "us-east-1");
  // The emulator's catalog for us-east-1: 10 us. profiles, 6 global. profiles, 1 application
  // profile, 10 foundation models.
  std::set<std::string> ids;
  for (const auto& p : j["profiles"]) ids.insert(p["inferenceProfileId"].get<std::string>());
  EXPECT_EQ(ids.size(), 17u) << r.out;
  EXPECT_TRUE(ids.count("us.anthropic.claude-sonnet-4-6"));
  EXPECT_TRUE(ids.count("global.anthropic.claude-opus-4-6-v1"));
  EXPECT_TRUE(ids.count("emuteamsonnet"));
  EXPECT_EQ(j["foundationModels"].size(), 10u);
  // The 16 system-defined profiles come in two pages of the service's default size (10), the
  // application profiles with their own call.
  auto lists = Operations("ListInferenceProfiles");
  ASSERT_EQ(lists.size(), 3u);
  EXPECT_NE(lists[1].value("path", "").find("nextToken="), std::string::npos);
  EXPECT_NE(lists[2].value("path", "").find("type=APPLICATION"), std::string::npos);
  for (const auto& p : j["profiles"]) {
    if (p["inferenceProfileId"] == "us.anthropic.claude-sonnet-4-6") {
      EXPECT_EQ(p["usedBy"], "model (pinned)");
      EXPECT_EQ(p["regions"], json({"us-east-1", "us-east-2", "us-west-2"}));
    }
    if (p["inferenceProfileId"] == "us.anthropic.claude-haiku-4-5-20251001-v1:0") {
      EXPECT_EQ(p["usedBy"], "haiku (pinned)");
    }
  }
  // The text table has the columns and the marks; the second run comes from the cache.
  RunOutput t = RunBrock({"models"}, Endpoints());
  ASSERT_EQ(t.exit_code, 0) << t.err;
  EXPECT_NE(t.out.find("ID"), std::string::npos);
  EXPECT_NE(t.out.find("REGIONS"), std::string::npos);
  EXPECT_NE(t.out.find("us-east-1,us-east-2,us-west-2"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("haiku (pinned)"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("(cached"), std::string::npos) << t.out;
  EXPECT_NE(t.out.find("arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/"
                       "emuteamsonnet"),
            std::string::npos);
  EXPECT_EQ(Operations("ListInferenceProfiles").size(), 3u) << "the cached catalog was used";
}

TEST_F(GuideCommandsTest, RefreshFetchesTheCatalogAgain) {
  WriteGuideSetup("dev");
  StartEmulator();
  ASSERT_EQ(RunBrock({"models", "--json"}, Endpoints()).exit_code, 0);
  RunOutput r = RunBrock({"models", "--json", "--refresh"}, Endpoints());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_EQ(Operations("ListInferenceProfiles").size(), 6u);
  EXPECT_EQ(json::parse(r.out)["fromCache"], false);
}

TEST_F(GuideCommandsTest, PinWritesUserSettingsMergedWithABackup) {
  WriteGuideSetup("dev");
  WriteFile(home_ + "/.claude/settings.json",
            R"J({"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1",
                "AWS_PROFILE": "dev"}, "permissions": {"allow": ["Bash(ls)"]}, "theme": "dark"})J");
  std::string before = ReadAll(home_ + "/.claude/settings.json");
  StartEmulator();
  RunOutput r =
      RunBrock({"models", "--pin", "sonnet", "us.anthropic.claude-sonnet-4-6"}, Endpoints());
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.out.find("ANTHROPIC_DEFAULT_SONNET_MODEL"), std::string::npos) << r.out;
  json s = json::parse(ReadAll(home_ + "/.claude/settings.json"));
  EXPECT_EQ(s["env"]["ANTHROPIC_DEFAULT_SONNET_MODEL"], "us.anthropic.claude-sonnet-4-6");
  EXPECT_EQ(s["env"]["AWS_PROFILE"], "dev");
  EXPECT_EQ(s["permissions"]["allow"][0], "Bash(ls)");
  EXPECT_EQ(s["theme"], "dark");
  // The backup next to the file holds the old bytes exactly.
  std::string backup;
  for (const auto& entry : std::filesystem::directory_iterator(home_ + "/.claude")) {
    std::string name = entry.path().filename().string();
    if (name.rfind("settings.json.backup-", 0) == 0) backup = entry.path().string();
  }
  ASSERT_FALSE(backup.empty());
  EXPECT_EQ(ReadAll(backup), before);

  // The pinned model is what `sonnet` now means.
  RunOutput m = RunBrock({"models", "--json"}, Endpoints());
  ASSERT_EQ(m.exit_code, 0) << m.err;
  bool marked = false;
  json listed = json::parse(m.out);
  for (const auto& c : listed["configured"]) {
    if (c["role"] == "sonnet") {
      EXPECT_EQ(c["modelId"], "us.anthropic.claude-sonnet-4-6");
      EXPECT_EQ(c["pinned"], true);
      marked = true;
    }
  }
  EXPECT_TRUE(marked);

  // An ID the region does not offer is refused and nothing changes.
  std::string now = ReadAll(home_ + "/.claude/settings.json");
  RunOutput bad =
      RunBrock({"models", "--pin", "haiku", "eu.anthropic.claude-haiku-4-5"}, Endpoints());
  EXPECT_EQ(bad.exit_code, 1);
  EXPECT_NE(bad.err.find("fix:"), std::string::npos) << bad.err;
  EXPECT_EQ(ReadAll(home_ + "/.claude/settings.json"), now);
  // A bad pin name is a usage error.
  EXPECT_EQ(RunBrock({"models", "--pin", "fast", "x"}, Endpoints()).exit_code, 2);
}

TEST_F(GuideCommandsTest, PinRefusesToOverwriteABrokenSettingsFile) {
  WriteGuideSetup("dev");
  StartEmulator();
  WriteFile(home_ + "/.claude/settings.json", "{\"env\": {\"AWS_REGION\": \"us-east-1\",}\n");
  RunOutput r = RunBrock(
      {"models", "--pin", "default", "us.anthropic.claude-sonnet-4-6", "--no-check"}, Endpoints());
  EXPECT_NE(r.exit_code, 0);
  EXPECT_NE(r.err.find("settings.json:1:"), std::string::npos) << r.err;
  EXPECT_EQ(ReadAll(home_ + "/.claude/settings.json"),
            "{\"env\": {\"AWS_REGION\": \"us-east-1\",}\n");
}

json PolicyFor(const RunOutput& r) {
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out);
}

std::set<std::string> InvokeResources(const json& policy) {
  std::set<std::string> out;
  for (const auto& s : policy["Statement"]) {
    if (s["Sid"] == "InvokeConfiguredModels") {
      EXPECT_EQ(s["Action"],
                json({"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"}));
      for (const auto& r : s["Resource"]) out.insert(r.get<std::string>());
    }
  }
  return out;
}

TEST_F(GuideCommandsTest, PolicyScopesToTheProfileAndEveryRegionItRoutesTo) {
  WriteFile(home_ + "/.claude/settings.json",
            R"J({"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1",
                "AWS_PROFILE": "dev", "ANTHROPIC_MODEL": "us.anthropic.claude-sonnet-4-6",
                "ANTHROPIC_DEFAULT_HAIKU_MODEL": "us.anthropic.claude-haiku-4-5-20251001-v1:0"}})J");
  WriteFile(home_ + "/.aws/credentials", std::string("[dev]\naws_access_key_id = ") + kKeyId +
                                             "\naws_secret_access_key = " + kSecret + "\n");
  StartEmulator();
  json policy = PolicyFor(RunBrock({"policy"}, Endpoints()));
  EXPECT_EQ(policy["Version"], "2012-10-17");
  std::set<std::string> res = InvokeResources(policy);
  EXPECT_TRUE(res.count(
      "arn:aws:bedrock:us-east-1:111122223333:inference-profile/us.anthropic.claude-sonnet-4-6"));
  for (const char* region : {"us-east-1", "us-east-2", "us-west-2"}) {
    EXPECT_TRUE(res.count(std::string("arn:aws:bedrock:") + region +
                          "::foundation-model/anthropic.claude-sonnet-4-6"))
        << region;
    EXPECT_TRUE(res.count(std::string("arn:aws:bedrock:") + region +
                          "::foundation-model/anthropic.claude-haiku-4-5-20251001-v1:0"))
        << region;
  }
  for (const auto& r : res) {
    EXPECT_EQ(r.find('*'), std::string::npos) << "no wildcard in a least-privilege policy: " << r;
    EXPECT_EQ(r.rfind("arn:aws:bedrock:", 0), 0u) << r;
  }
  std::set<std::string> actions;
  for (const auto& s : policy["Statement"]) {
    for (const auto& a : s["Action"]) actions.insert(a.get<std::string>());
  }
  for (const char* a : {"bedrock:ListInferenceProfiles", "bedrock:GetInferenceProfile",
                        "bedrock:ListFoundationModels", "bedrock:GetFoundationModel"}) {
    EXPECT_TRUE(actions.count(a)) << a;
  }
}

TEST_F(GuideCommandsTest, PolicyUsesTheGovCloudPartition) {
  WriteGuideSetup("gov", "us-gov-west-1");
  StartEmulator({"--region", "us-gov-west-1"});
  json policy = PolicyFor(RunBrock({"policy"}, Endpoints()));
  std::set<std::string> res = InvokeResources(policy);
  ASSERT_FALSE(res.empty());
  // The default sonnet alias in GovCloud is the us-gov. profile of Sonnet 4.5.
  EXPECT_TRUE(
      res.count("arn:aws-us-gov:bedrock:us-gov-west-1:111122223333:inference-profile/"
                "us-gov.anthropic.claude-sonnet-4-5-20250929-v1:0"))
      << policy.dump(2);
  EXPECT_TRUE(
      res.count("arn:aws-us-gov:bedrock:us-gov-east-1::foundation-model/"
                "anthropic.claude-sonnet-4-5-20250929-v1:0"));
  for (const auto& r : res) EXPECT_EQ(r.rfind("arn:aws-us-gov:bedrock:", 0), 0u) << r;

  json broad = PolicyFor(RunBrock({"policy", "--broad"}, Endpoints()));
  EXPECT_EQ(broad["Statement"][0]["Resource"][0], "arn:aws-us-gov:bedrock:*:*:foundation-model/*");
}

TEST_F(GuideCommandsTest, BroadPolicyIsTheGuidesStartingPoint) {
  WriteGuideSetup("dev");
  json broad = PolicyFor(RunBrock({"policy", "--broad"}));
  EXPECT_EQ(broad["Statement"][0]["Sid"], "AllowInvoke");
  EXPECT_EQ(
      broad["Statement"][0]["Resource"],
      json({"arn:aws:bedrock:*:*:foundation-model/*", "arn:aws:bedrock:*:*:inference-profile/*",
            "arn:aws:bedrock:*:*:application-inference-profile/*"}));
}

TEST_F(GuideCommandsTest, ApplicationProfileArnResolvesThroughTheCatalog) {
  const std::string arn =
      "arn:aws:bedrock:us-east-1:111122223333:application-inference-profile/emuteamsonnet";
  WriteFile(home_ + "/.claude/settings.json",
            R"J({"env": {"CLAUDE_CODE_USE_BEDROCK": "1", "AWS_REGION": "us-east-1",
                "AWS_PROFILE": "dev", "ANTHROPIC_MODEL": ")J" +
                arn + R"("}})");
  WriteFile(home_ + "/.aws/credentials", std::string("[dev]\naws_access_key_id = ") + kKeyId +
                                             "\naws_secret_access_key = " + kSecret + "\n");
  StartEmulator();
  RunOutput m = RunBrock({"models", "--json"}, Endpoints());
  ASSERT_EQ(m.exit_code, 0) << m.err;
  json conf = json::parse(m.out)["configured"][0];
  EXPECT_EQ(conf["modelId"], arn);
  EXPECT_EQ(conf["inCatalog"], true);
  EXPECT_EQ(conf["underlyingModel"], "anthropic.claude-sonnet-4-5-20250929-v1:0");
  std::set<std::string> res = InvokeResources(PolicyFor(RunBrock({"policy"}, Endpoints())));
  EXPECT_TRUE(res.count(arn));
  EXPECT_TRUE(res.count(
      "arn:aws:bedrock:us-west-2::foundation-model/anthropic.claude-sonnet-4-5-20250929-v1:0"));
}

TEST_F(GuideCommandsTest, MistypedSubcommandSuggestsTheCommand) {
  RunOutput r = RunBrock({"doctr"});
  EXPECT_EQ(r.exit_code, 2);
  EXPECT_NE(r.err.find("'doctr' is not a brock command"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("brock doctor"), std::string::npos) << r.err;
  EXPECT_EQ(r.err.find("needs a terminal"), std::string::npos) << r.err;
  EXPECT_EQ(RunBrock({"modles"}).err.find("brock models") != std::string::npos, true);
  // A prompt is still a prompt.
  WriteGuideSetup("dev");
  StartEmulator();
  RunOutput p = RunBrock({"-p", "doctr"});
  EXPECT_EQ(p.exit_code, 0) << p.err;
  RunOutput multi = RunBrock({"-p", "which state is the garden state"});
  EXPECT_EQ(multi.exit_code, 0) << multi.err;
}

}  // namespace
}  // namespace brock::e2e
