// Path fields with NUL bytes or control characters are refused.
#include "agent/tool_input.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace brock {
namespace {

TEST(ToolInputPaths, ControlCharactersAreFound) {
  EXPECT_EQ(FindControlCharacter("src/main.cc"), std::string_view::npos);
  EXPECT_EQ(FindControlCharacter("caf\xc3\xa9/na\xc3\xafve \xe2\x80\x94 x"),
            std::string_view::npos);
  EXPECT_EQ(FindControlCharacter(std::string_view("a\0b", 3)), 1u);
  EXPECT_EQ(FindControlCharacter("a\nb"), 1u);
  EXPECT_EQ(FindControlCharacter("ab\x1b[2J"), 2u);
  EXPECT_EQ(FindControlCharacter("ab\x7f"), 2u);
  EXPECT_EQ(FindControlCharacter("a\xc2\x9b"
                                 "2J"),
            1u);  // C1 CSI, UTF-8 encoded
}

TEST(ToolInputPaths, GetPathFieldRefusesNulAndControlCharacters) {
  std::string out = "unchanged", error;
  Json input = {{"file_path", std::string("./.env\0.txt", 11)}};
  EXPECT_FALSE(GetPathField(input, "file_path", true, &out, &error));
  EXPECT_EQ(out, "unchanged");
  EXPECT_NE(error.find("`file_path`"), std::string::npos) << error;
  EXPECT_NE(error.find("NUL byte"), std::string::npos) << error;

  error.clear();
  EXPECT_FALSE(GetPathField(Json{{"path", "a\rb"}}, "path", false, &out, &error));
  EXPECT_NE(error.find("control character"), std::string::npos) << error;

  EXPECT_TRUE(GetPathField(Json{{"path", "src/a b.cc"}}, "path", true, &out, &error));
  EXPECT_EQ(out, "src/a b.cc");
  EXPECT_TRUE(GetPathField(Json::object(), "path", false, &out, &error));
  EXPECT_FALSE(GetPathField(Json::object(), "path", true, &out, &error));
}

TEST(ToolInputPaths, ToolPathErrorChecksEveryPathField) {
  EXPECT_EQ(ToolPathError(Json{{"file_path", "/a/b"}, {"command", "echo \x1b[2J"}}), "");
  EXPECT_EQ(ToolPathError(Json{{"path", 3}}), "");  // a wrong type is the tool's to report
  EXPECT_NE(ToolPathError(Json{{"file_path", std::string("x\0", 2)}}), "");
  EXPECT_NE(ToolPathError(Json{{"path", "x\ty"}}), "");
  EXPECT_NE(ToolPathError(Json{{"notebook_path", "x\x1b"}}), "");
}

}  // namespace
}  // namespace brock
