#include "emulator/emulator_cli.h"

#include <gtest/gtest.h>

namespace brock {
namespace {

TEST(EmulatorCliTest, ParsesFlags) {
  auto o = ParseEmulatorArgs({"--port",
                              "8123",
                              "--port-file=/tmp/p",
                              "--access-key",
                              "AKID1:s1",
                              "--access-key=AKID2:s/2",
                              "--session-token",
                              "tok",
                              "--expired-token",
                              "old",
                              "--bearer-token",
                              "ABSK1",
                              "--no-auth",
                              "--region",
                              "eu-west-1",
                              "--allow-model",
                              "m1",
                              "--request-log",
                              "/tmp/log",
                              "--quiet",
                              "--host",
                              "127.0.0.2"});
  ASSERT_TRUE(o.ok()) << o.error().ToString();
  EXPECT_EQ(o->emulator.port, 8123);
  EXPECT_EQ(o->port_file, "/tmp/p");
  ASSERT_EQ(o->emulator.access_keys.size(), 2u);
  EXPECT_EQ(o->emulator.access_keys[1].first, "AKID2");
  EXPECT_EQ(o->emulator.access_keys[1].second, "s/2");
  EXPECT_EQ(o->emulator.session_token, "tok");
  EXPECT_EQ(o->emulator.expired_tokens, std::vector<std::string>{"old"});
  EXPECT_EQ(o->emulator.bearer_token, "ABSK1");
  EXPECT_TRUE(o->emulator.no_auth);
  EXPECT_EQ(o->emulator.region, "eu-west-1");
  EXPECT_EQ(o->emulator.allowed_models, std::vector<std::string>{"m1"});
  EXPECT_EQ(o->emulator.request_log_path, "/tmp/log");
  EXPECT_TRUE(o->quiet);
  EXPECT_EQ(o->emulator.host, "127.0.0.2");
}

TEST(EmulatorCliTest, RejectsBadFlags) {
  EXPECT_EQ(ParseEmulatorArgs({"--host", "0.0.0.0"}).error().code, "emulator.host");
  EXPECT_EQ(ParseEmulatorArgs({"--port", "70000"}).error().code, "emulator.usage");
  EXPECT_EQ(ParseEmulatorArgs({"--port"}).error().code, "emulator.usage");
  EXPECT_EQ(ParseEmulatorArgs({"--access-key", "nocolon"}).error().code, "emulator.usage");
  EXPECT_EQ(ParseEmulatorArgs({"--frobnicate"}).error().code, "emulator.usage");
  EXPECT_EQ(ParseEmulatorArgs({"--script", "/nonexistent/script.json"}).error().code,
            "emulator.script");
}

TEST(EmulatorCliTest, DefaultsUseTheFixedTestKey) {
  auto o = ParseEmulatorArgs({});
  ASSERT_TRUE(o.ok());
  EXPECT_EQ(o->emulator.port, 0);
  EXPECT_EQ(o->emulator.host, "127.0.0.1");
  EXPECT_TRUE(o->emulator.access_keys.empty());  // Emulator::Start adds the fixed pair
  EXPECT_NE(EmulatorUsage().find("AKIDEMULATOREXAMPLE"), std::string::npos);
}

TEST(EmulatorCliTest, ParsesCredentialServiceFlags) {
  auto o = ParseEmulatorArgs({"--issued-credentials-seconds", "5", "--issued-credentials-seed=s1",
                              "--web-identity-token", "jwt", "--sts-deny-role", "arn:r1",
                              "--sts-deny-role", "arn:r2", "--container-token", "ct",
                              "--container-path", "/v2/creds", "--imds-role", "ec2role"});
  ASSERT_TRUE(o.ok()) << o.error().ToString();
  EXPECT_EQ(o->emulator.issued_credentials_seconds, 5);
  EXPECT_EQ(o->emulator.issued_credentials_seed, "s1");
  EXPECT_EQ(o->emulator.web_identity_token, "jwt");
  EXPECT_EQ(o->emulator.sts_denied_roles, (std::vector<std::string>{"arn:r1", "arn:r2"}));
  EXPECT_EQ(o->emulator.container_token, "ct");
  EXPECT_EQ(o->emulator.container_path, "/v2/creds");
  EXPECT_EQ(o->emulator.imds_role_name, "ec2role");
  auto defaults = ParseEmulatorArgs({});
  ASSERT_TRUE(defaults.ok());
  EXPECT_EQ(defaults->emulator.issued_credentials_seconds, 3600);
  EXPECT_EQ(defaults->emulator.container_path, "/container-credentials");
  for (std::vector<std::string> bad :
       {std::vector<std::string>{"--issued-credentials-seconds", "0"},
        {"--issued-credentials-seconds", "x"},
        {"--issued-credentials-seed", ""},
        {"--container-path", "relative"},
        {"--container-path", "/latest/x"},
        {"--imds-role", "a/b"}}) {
    auto r = ParseEmulatorArgs(bad);
    ASSERT_FALSE(r.ok()) << bad[0] << " " << bad[1];
    EXPECT_EQ(r.error().code, "emulator.usage");
  }
}

}  // namespace
}  // namespace brock
