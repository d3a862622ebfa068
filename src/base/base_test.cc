#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include "base/crypto.h"
#include "base/json.h"
#include "base/secrets.h"
#include "base/strings.h"
#include "testing/fake_env.h"

namespace brock {
namespace {

TEST(Strings, SplitKeepsEmptyPieces) {
  EXPECT_EQ(Split("a,,b", ','), (std::vector<std::string>{"a", "", "b"}));
  EXPECT_EQ(Split("", ','), (std::vector<std::string>{""}));
}

TEST(Strings, Base64RoundTripsEveryLength) {
  std::string data;
  for (int n = 0; n < 70; ++n) {
    std::string enc = Base64Encode(data);
    std::string dec;
    ASSERT_TRUE(Base64Decode(enc, &dec)) << enc;
    EXPECT_EQ(dec, data);
    data.push_back(static_cast<char>(n * 37));
  }
  EXPECT_EQ(Base64Encode("foobar"), "Zm9vYmFy");
  EXPECT_EQ(Base64Encode("fo"), "Zm8=");
  std::string out;
  EXPECT_FALSE(Base64Decode("Zm9v*mFy", &out));
}

TEST(Crypto, KnownDigests) {
  EXPECT_EQ(Sha256Hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(Sha1Hex("abc"), "a9993e364706816aba3e25717850c26c9cd0d89d");
  EXPECT_EQ(Crc32("123456789"), 0xCBF43926u);
  // RFC 4231 test case 2.
  EXPECT_EQ(HexEncode(HmacSha256("Jefe", "what do ya want for nothing?")),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
}

TEST(Json, SyntaxErrorNamesLineAndColumn) {
  auto r =
      ParseJson("{\n  \"env\": {\n    \"A\": \"1\"\n    \"B\": \"2\"\n  }\n}", "settings.json");
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("settings.json:4:7:"), std::string::npos) << r.error().message;
  EXPECT_FALSE(r.error().fix.empty());
}

TEST(Json, ParsesValidDocument) {
  auto r = ParseJson(R"({"a": [1, 2]})", "x");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ((*r)["a"][1].get<int>(), 2);
}

TEST(Secrets, ScrubReplacesRegisteredValues) {
  RegisterSecret("wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
  RegisterSecret("short");  // too short to register
  std::string s = ScrubSecrets("key=wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY short");
  EXPECT_EQ(s, "key=[REDACTED] short");
}

TEST(Secrets, StreamScrubberCatchesASecretSplitAcrossPieces) {
  const std::string secret = "stream-secret-0123456789abcdef";
  RegisterSecret(secret);
  StreamScrubber s;
  std::string shown;
  shown += s.Push("token: " + secret.substr(0, 10));
  shown += s.Push(secret.substr(10) + " end");
  shown += s.Finish();
  EXPECT_EQ(shown, "token: [REDACTED] end");
  // Ordinary text is not held back once more than a secret's length has arrived.
  StreamScrubber t;
  std::string long_text(100, 'x');
  EXPECT_FALSE(t.Push(long_text).empty());
  EXPECT_EQ(t.Push("") + t.Finish(), std::string(LongestSecretLength() - 1, 'x'));
}

TEST(FakeEnv, VariablesRememberTheirOrigin) {
  testing::FakeEnv env;
  env.vars["AWS_REGION"] = "us-east-1";
  EXPECT_EQ(env.VarOrigin("AWS_REGION"), "the shell environment");
  env.SetVar("AWS_REGION", "us-west-2", "/home/user/.claude/settings.json");
  EXPECT_EQ(*env.GetVar("AWS_REGION"), "us-west-2");
  EXPECT_EQ(env.VarOrigin("AWS_REGION"), "/home/user/.claude/settings.json");
  env.vars["EMPTY"] = "";
  EXPECT_TRUE(env.GetVar("EMPTY").has_value());
  EXPECT_FALSE(env.GetNonEmpty("EMPTY").has_value());
}

TEST(FakeEnv, GetIntFallsBackOnMissingOrMalformedValues) {
  testing::FakeEnv env;
  env.vars = {{"N", " 42 "}, {"NEG", "-3"}, {"WORD", "ten"}, {"EMPTY", ""}};
  EXPECT_EQ(env.GetInt("N", 7), 42);
  EXPECT_EQ(env.GetInt("NEG", 7), 7);
  EXPECT_EQ(env.GetInt("WORD", 7), 7);
  EXPECT_EQ(env.GetInt("EMPTY", 7), 7);
  EXPECT_EQ(env.GetInt("UNSET", 7), 7);
}

TEST(Paths, JoinAndDirName) {
  EXPECT_EQ(JoinPath("/a", "b"), "/a/b");
  EXPECT_EQ(JoinPath("/a/", "b"), "/a/b");
  EXPECT_EQ(JoinPath("/a", "/b"), "/b");
  EXPECT_EQ(DirName("/a/b"), "/a");
  EXPECT_EQ(DirName("/a"), "/");
  EXPECT_EQ(DirName("a"), ".");
}

}  // namespace
}  // namespace brock
