#include "aws/config_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "base/strings.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

using nlohmann::json;

const std::string kDir = std::string(BROCK_SHARED_DIR) + "/testdata/aws-config";

std::optional<json> LoadSuite(const std::string& name) {
  std::ifstream in(kDir + "/" + name);
  if (!in) return std::nullopt;
  std::stringstream ss;
  ss << in.rdbuf();
  return json::parse(ss.str());
}

// Compares a parsed profile with the suite's expected object: string values are properties,
// object values are sub-properties.
void ExpectProfileMatches(const ProfileSection& got, const json& want) {
  EXPECT_EQ(got.properties.size(), want.size());
  for (const auto& [key, value] : want.items()) {
    SCOPED_TRACE("key " + key);
    if (value.is_object()) {
      auto it = got.sub_properties.find(key);
      ASSERT_NE(it, got.sub_properties.end());
      std::map<std::string, std::string> expected = value.get<std::map<std::string, std::string>>();
      EXPECT_EQ(it->second, expected);
      EXPECT_EQ(got.Get(key), std::optional<std::string>(""));
    } else {
      EXPECT_EQ(got.Get(key), std::optional<std::string>(value.get<std::string>()));
      EXPECT_EQ(got.sub_properties.count(key), 0u);
    }
  }
}

TEST(ConfigFileSuite, ParserTestsAllPass) {
  auto suite = LoadSuite("config-file-parser-tests.json");
  if (!suite) GTEST_SKIP() << "config-file-parser-tests.json not found in " << kDir;
  const json& tests = (*suite)["tests"];
  EXPECT_EQ(tests.size(), 63u);
  for (const auto& t : tests) {
    std::string name = t["name"];
    SCOPED_TRACE(name);
    std::string config = t["input"].value("configFile", "");
    std::string creds = t["input"].value("credentialsFile", "");
    auto parsed = ParseAwsConfig(config, creds, "/home/u/.aws/config", "/home/u/.aws/credentials");
    const json& out = t["output"];
    if (out.contains("errorContaining")) {
      ASSERT_FALSE(parsed.ok());
      const Error& e = parsed.error();
      EXPECT_NE(e.message.find(out["errorContaining"].get<std::string>()), std::string::npos)
          << e.message;
      EXPECT_EQ(e.code, "config.syntax");
      EXPECT_NE(e.message.find(":"), std::string::npos);
      EXPECT_FALSE(e.fix.empty());
      bool in_creds = !t["input"].contains("configFile");
      EXPECT_TRUE(
          StartsWith(e.message, in_creds ? "/home/u/.aws/credentials" : "/home/u/.aws/config"))
          << e.message;
      continue;
    }
    ASSERT_TRUE(parsed.ok()) << parsed.error().message;
    const json& profiles = out["profiles"];
    EXPECT_EQ(parsed->profiles.size(), profiles.size());
    for (const auto& [pname, pwant] : profiles.items()) {
      SCOPED_TRACE("profile " + pname);
      const ProfileSection* p = parsed->Find(pname);
      ASSERT_NE(p, nullptr);
      EXPECT_EQ(p->name, pname);
      ExpectProfileMatches(*p, pwant);
    }
  }
}

TEST(ConfigFileSuite, ProfileTestsAllPass) {
  auto suite = LoadSuite("config-file-profile-tests.json");
  if (!suite) GTEST_SKIP() << "config-file-profile-tests.json not found in " << kDir;
  for (const auto& s : (*suite)["testSuites"]) {
    // Write the suite's profiles as a config file, so the parser is part of the test.
    std::string text;
    for (const auto& [name, props] : s["profiles"].items()) {
      text += (name == "default" ? "[default]\n" : "[profile " + name + "]\n");
      for (const auto& [k, v] : props.items()) text += k + " = " + v.get<std::string>() + "\n";
    }
    auto cfg = ParseAwsConfig(text, "");
    ASSERT_TRUE(cfg.ok()) << cfg.error().message;
    std::vector<json> region_tests;
    if (s["regionTests"].is_array()) {
      for (const auto& r : s["regionTests"]) region_tests.push_back(r);
    } else {
      region_tests.push_back(s["regionTests"]);
    }
    for (const auto& r : region_tests) {
      SCOPED_TRACE(r["name"].get<std::string>());
      EXPECT_EQ(cfg->Get(r["profile"].get<std::string>(), "region"),
                std::optional<std::string>(r["output"]["region"].get<std::string>()));
    }
    for (const auto& c : s["credentialsTests"]) {
      SCOPED_TRACE(c["name"].get<std::string>());
      const ProfileSection* p = cfg->Find(c["profile"].get<std::string>());
      ASSERT_NE(p, nullptr);
      EXPECT_EQ(ProfileCredentialType(*p), c["output"]["credentialType"].get<std::string>());
    }
  }
}

TEST(ConfigFileSuite, LocationTestsLinux) {
  auto suite = LoadSuite("config-file-location-tests.json");
  if (!suite) GTEST_SKIP() << "config-file-location-tests.json not found in " << kDir;
  int ran = 0;
  for (const auto& t : (*suite)["tests"]) {
    std::string name = t["name"];
    SCOPED_TRACE(name);
    if (t["platform"] != "linux") {
      std::printf(
          "skipping \"%s\": brock runs on Linux and macOS only, Windows paths do not apply\n",
          name.c_str());
      continue;
    }
    testing::FakeEnv env;
    env.home = t.value("languageSpecificHome", "/nonexistent-language-home");
    for (const auto& [k, v] : t["environment"].items()) env.vars[k] = v.get<std::string>();
    EXPECT_EQ(ConfigFilePath(env), t["configLocation"].get<std::string>());
    EXPECT_EQ(CredentialsFilePath(env), t["credentialsLocation"].get<std::string>());
    if (t.contains("profile")) {
      EXPECT_EQ(ActiveProfileName(env), t["profile"].get<std::string>());
    }
    ++ran;
  }
  EXPECT_GE(ran, 5);
}

TEST(ConfigFile, ErrorsNameFileLineAndFix) {
  auto r = ParseAwsConfig("[default]\nregion = us-east-1\n\n[profile dev\nregion = x\n", "",
                          "/h/.aws/config", "/h/.aws/credentials");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "config.syntax");
  EXPECT_TRUE(
      StartsWith(r.error().message, "/h/.aws/config:4:1: Profile definition must end with ']'"))
      << r.error().message;
  EXPECT_NE(r.error().fix.find("line 4"), std::string::npos);

  r = ParseAwsConfig("", "[dev]\naws_access_key_id AKIA\n", "/h/.aws/config",
                     "/h/.aws/credentials");
  ASSERT_FALSE(r.ok());
  EXPECT_TRUE(StartsWith(r.error().message, "/h/.aws/credentials:2:1: Expected an '=' sign"))
      << r.error().message;
}

// A secret pasted on a line of its own (no "name =") is reported by place, never quoted.
TEST(ConfigFile, SyntaxErrorsNeverQuoteTheLine) {
  const std::string secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
  for (const std::string& creds :
       {"[dev]\naws_access_key_id = AKIDEXAMPLE\n" + secret + "\n", "  " + secret + "\n",
        "[dev]\n  " + secret + "\n", "[" + secret + "\n"}) {
    auto r = ParseAwsConfig("", creds, "/h/.aws/config", "/h/.aws/credentials");
    ASSERT_FALSE(r.ok()) << creds;
    EXPECT_EQ(r.error().code, "config.syntax");
    EXPECT_EQ(r.error().message.find("wJal"), std::string::npos) << r.error().message;
    EXPECT_EQ(r.error().fix.find("wJal"), std::string::npos) << r.error().fix;
    EXPECT_TRUE(StartsWith(r.error().message, "/h/.aws/credentials:")) << r.error().message;
  }
}

TEST(ConfigFile, SsoSessionsServicesAndOrigins) {
  const char* config = R"([profile ui-dev]
sso_session = corp
sso_account_id = 123456789012
region = us-west-2
services = local-bedrock
[sso-session corp]
sso_start_url = https://corp.awsapps.com/start
sso_region = us-east-1
[services local-bedrock]
bedrock_runtime =
  endpoint_url = http://127.0.0.1:8080
sts =
  endpoint_url = http://127.0.0.1:8081
[something else]
x = 1
)";
  const char* creds = "[ui-dev]\nregion = eu-west-1\n";
  auto cfg = ParseAwsConfig(config, creds, "/c", "/k");
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->Get("ui-dev", "region"), std::optional<std::string>("eu-west-1"));
  EXPECT_EQ(cfg->Find("ui-dev")->Origin("region"), "/k");
  EXPECT_EQ(cfg->Find("ui-dev")->Origin("sso_session"), "/c");
  EXPECT_EQ(cfg->Find("ui-dev")->Origin("nope"), "");
  ASSERT_EQ(cfg->sso_sessions.count("corp"), 1u);
  EXPECT_EQ(cfg->sso_sessions.at("corp").Get("sso_region"),
            std::optional<std::string>("us-east-1"));
  const ProfileSection* svc = cfg->ServicesFor("ui-dev");
  ASSERT_NE(svc, nullptr);
  EXPECT_EQ(svc->sub_properties.at("bedrock_runtime").at("endpoint_url"), "http://127.0.0.1:8080");
  EXPECT_EQ(svc->sub_properties.at("sts").at("endpoint_url"), "http://127.0.0.1:8081");
  EXPECT_EQ(cfg->profiles.size(), 1u);
  EXPECT_EQ(ProfileCredentialType(*cfg->Find("ui-dev")), "sso");
  EXPECT_EQ(cfg->ServicesFor("missing"), nullptr);
  EXPECT_FALSE(cfg->Get("missing", "region").has_value());
}

TEST(ConfigFile, LoadReadsFilesFromEnvAndToleratesMissingOnes) {
  testing::FakeEnv env;
  env.home = "/home/me";
  auto empty = LoadAwsConfig(env);
  ASSERT_TRUE(empty.ok());
  EXPECT_TRUE(empty->profiles.empty());
  EXPECT_EQ(empty->config_path, "/home/me/.aws/config");
  EXPECT_EQ(empty->credentials_path, "/home/me/.aws/credentials");

  env.files["/home/me/.aws/config"] = "[profile a]\nregion = us-east-2\n";
  env.files["/home/me/alt/creds"] = "[a]\naws_access_key_id = AKIA1\naws_secret_access_key = s\n";
  env.vars["AWS_SHARED_CREDENTIALS_FILE"] = "~/alt/creds";
  auto cfg = LoadAwsConfig(env);
  ASSERT_TRUE(cfg.ok()) << cfg.error().message;
  EXPECT_EQ(cfg->credentials_path, "/home/me/alt/creds");
  EXPECT_EQ(cfg->Get("a", "region"), std::optional<std::string>("us-east-2"));
  EXPECT_EQ(ProfileCredentialType(*cfg->Find("a")), "basic");

  env.files["/home/me/.aws/config"] = "region = oops\n";
  auto bad = LoadAwsConfig(env);
  ASSERT_FALSE(bad.ok());
  EXPECT_TRUE(
      StartsWith(bad.error().message, "/home/me/.aws/config:1:1: Expected a profile definition"));
}

TEST(ConfigFile, ProfileSelection) {
  testing::FakeEnv env;
  EXPECT_EQ(ActiveProfileName(env), "default");
  EXPECT_FALSE(SelectProfile(env).explicit_);
  env.vars["AWS_DEFAULT_PROFILE"] = "legacy";
  EXPECT_EQ(ActiveProfileName(env), "legacy");
  env.SetVar("AWS_PROFILE", "ui-dev", "/home/user/.claude/settings.json");
  ProfileSelection s = SelectProfile(env);
  EXPECT_EQ(s.name, "ui-dev");
  EXPECT_TRUE(s.explicit_);
  EXPECT_EQ(s.origin, "AWS_PROFILE (from /home/user/.claude/settings.json)");
  env.vars["AWS_PROFILE"] = "";
  EXPECT_EQ(ActiveProfileName(env), "legacy");
}

}  // namespace
}  // namespace brock
