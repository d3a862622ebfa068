#include "cli/mcp_permission_prompt.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

namespace brock {
namespace {

constexpr char kName[] = "mcp__approver__ask";

TEST(McpPermissionPromptTest, AllowWithUpdatedInput) {
  PromptToolAnswer a = ParsePermissionPromptResult(
      kName, ToolResult::Text(R"({"behavior":"allow","updatedInput":{"command":"ls"}})"));
  EXPECT_TRUE(a.allow);
  EXPECT_EQ(a.updated_input.get()["command"], "ls");
}

TEST(McpPermissionPromptTest, AllowWithoutUpdatedInputKeepsTheInput) {
  PromptToolAnswer a =
      ParsePermissionPromptResult(kName, ToolResult::Text(R"({"behavior":"allow"})"));
  EXPECT_TRUE(a.allow);
  EXPECT_TRUE(a.updated_input.is_null());
}

TEST(McpPermissionPromptTest, DenyCarriesTheMessage) {
  PromptToolAnswer a = ParsePermissionPromptResult(
      kName, ToolResult::Text(R"({"behavior":"deny","message":"not on Fridays"})"));
  EXPECT_FALSE(a.allow);
  EXPECT_EQ(a.message, "not on Fridays");
}

TEST(McpPermissionPromptTest, AnythingElseDeniesNamingTheToolAndTheFix) {
  for (const ToolResult& r : {ToolResult::Text("yes"), ToolResult::Text(R"({"behavior":"maybe"})"),
                              ToolResult::Text(R"({"behavior":"allow","updatedInput":"ls"})"),
                              ToolResult::Text("server exploded", /*is_error=*/true)}) {
    PromptToolAnswer a = ParsePermissionPromptResult(kName, r);
    EXPECT_FALSE(a.allow) << r.AllText();
    EXPECT_NE(a.message.find(kName), std::string::npos) << a.message;
  }
}

TEST(McpPermissionPromptTest, OnlyMcpNamesAreMcpPromptTools) {
  EXPECT_TRUE(IsMcpPermissionPromptTool("mcp__a__b"));
  EXPECT_FALSE(IsMcpPermissionPromptTool("stdio"));
  EXPECT_FALSE(IsMcpPermissionPromptTool(""));
}

}  // namespace
}  // namespace brock
