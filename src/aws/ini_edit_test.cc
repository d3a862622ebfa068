// SetIniSection keeps everything but the keys it sets.
#include "aws/ini_edit.h"

#include <gtest/gtest.h>

namespace brock {
namespace {

TEST(IniEditTest, ReplacesInPlaceAndKeepsTheRest) {
  std::string text =
      "# my config\n[default]\nregion = eu-west-1\n\n[profile dev]\nregion = us-west-2\n"
      "output = json\n\n[profile other]\nregion = us-east-2\n";
  EXPECT_EQ(SetIniSection(text, "profile dev", {{"region", "us-east-1"}, {"cli_pager", "less"}}),
            "# my config\n[default]\nregion = eu-west-1\n\n[profile dev]\nregion = us-east-1\n"
            "output = json\ncli_pager = less\n\n[profile other]\nregion = us-east-2\n");
}

TEST(IniEditTest, AppendsAMissingSectionAndRemovesEmptyValues) {
  EXPECT_EQ(SetIniSection("", "ci", {{"aws_access_key_id", "AKIA"}, {"aws_session_token", ""}}),
            "[ci]\naws_access_key_id = AKIA\n");
  EXPECT_EQ(SetIniSection("[ci]\naws_access_key_id = OLD\naws_session_token = T\n", "ci",
                          {{"aws_access_key_id", "NEW"}, {"aws_session_token", ""}}),
            "[ci]\naws_access_key_id = NEW\n");
  EXPECT_EQ(SetIniSection("[a]\nx = 1", "b", {{"y", "2"}}), "[a]\nx = 1\n\n[b]\ny = 2\n");
}

TEST(IniEditTest, HeadersAndNames) {
  EXPECT_EQ(ConfigProfileHeader("default"), "default");
  EXPECT_EQ(ConfigProfileHeader("dev"), "profile dev");
  EXPECT_EQ(SetIniSection("[profile   dev]\nregion = a\n", "profile dev", {{"REGION", "b"}}),
            "[profile   dev]\nREGION = b\n");
  EXPECT_TRUE(IsValidProfileName("bedrock-claude"));
  EXPECT_FALSE(IsValidProfileName("has space"));
  EXPECT_FALSE(IsValidProfileName("[x]"));
  EXPECT_FALSE(IsValidProfileName(""));
}

}  // namespace
}  // namespace brock
