#include "agent/tool.h"

#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <set>

namespace brock {
namespace {

TEST(ToolResult, TextAndAllText) {
  ToolResult r = ToolResult::Text("hello", true);
  EXPECT_TRUE(r.is_error);
  ASSERT_EQ(r.content.size(), 1u);
  EXPECT_EQ(r.content[0], (Json{{"type", "text"}, {"text", "hello"}}));
  r.content.push_back(Json{{"type", "image"}, {"source", Json::object()}});
  r.content.push_back(Json{{"type", "text"}, {"text", "world"}});
  EXPECT_EQ(r.AllText(), "hello\nworld");
  EXPECT_FALSE(ToolResult::Text("x").is_error);
  EXPECT_EQ(ToolResult{}.AllText(), "");
}

TEST(BuiltinTools, ClaudeCodeNamesInOrder) {
  std::vector<std::unique_ptr<Tool>> tools = MakeBuiltinTools();
  std::vector<std::string> names;
  for (const auto& t : tools) {
    ASSERT_NE(t, nullptr);
    names.push_back(t->name());
    Json schema = t->input_schema();
    EXPECT_EQ(schema["type"], "object") << t->name();
    EXPECT_TRUE(schema.contains("properties")) << t->name();
    EXPECT_TRUE(schema.contains("required")) << t->name();
    EXPECT_FALSE(t->description().empty()) << t->name();
  }
  EXPECT_EQ(names, (std::vector<std::string>{"Bash", "Glob", "Grep", "LS", "Read", "Edit",
                                             "MultiEdit", "Write", "TodoWrite"}));
  std::set<std::string> edits;
  for (const auto& t : tools) {
    if (t->edits_files()) {
      edits.insert(t->name());
      EXPECT_FALSE(t->read_only()) << t->name();
    }
  }
  EXPECT_EQ(edits, (std::set<std::string>{"Edit", "MultiEdit", "Write"}));
}

}  // namespace
}  // namespace brock
