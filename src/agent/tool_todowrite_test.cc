#include "agent/tool_todowrite.h"

#include <gtest/gtest.h>

#include "testing/fake_env.h"
#include "testing/tool_test_util.h"

namespace brock {
namespace {

using testing::ContextHolder;
using testing::RunOk;

class TodoWriteToolTest : public ::testing::Test {
 protected:
  ToolResult Todo(const Json& input) { return RunOk(*tool, input, h.ctx); }
  testing::FakeEnv env;
  ContextHolder h{"/p", env};
  std::unique_ptr<Tool> tool = MakeTodoWriteTool();
};

TEST_F(TodoWriteToolTest, StoresTheList) {
  ToolResult r = Todo(
      {{"todos",
        {{{"content", "Run tests"}, {"status", "in_progress"}, {"activeForm", "Running tests"}},
         {{"content", "Fix bug"}, {"status", "pending"}, {"id", "2"}},
         {{"content", "Read code"}, {"status", "completed"}, {"activeForm", "Reading code"}}}}});
  ASSERT_FALSE(r.is_error) << r.AllText();
  EXPECT_NE(r.AllText().find("1 pending, 1 in progress, 1 completed"), std::string::npos);
  ASSERT_TRUE(h.todos.is_array());
  ASSERT_EQ(h.todos.size(), 3u);
  EXPECT_EQ(h.todos[0]["content"], "Run tests");
  EXPECT_EQ(h.todos[0]["activeForm"], "Running tests");
  EXPECT_EQ(h.todos[1]["id"], "2");
  EXPECT_FALSE(h.todos[1].contains("activeForm"));

  // A new call replaces the list.
  r = Todo({{"todos", {{{"content", "Only"}, {"status", "pending"}}}}});
  ASSERT_FALSE(r.is_error);
  ASSERT_EQ(h.todos.size(), 1u);
  EXPECT_EQ(h.todos[0]["content"], "Only");
  r = Todo({{"todos", Json::array()}});
  ASSERT_FALSE(r.is_error);
  EXPECT_TRUE(h.todos.empty());
}

TEST_F(TodoWriteToolTest, RejectsInvalidItemsWithoutChangingTheList) {
  ASSERT_FALSE(Todo({{"todos", {{{"content", "Keep"}, {"status", "pending"}}}}}).is_error);
  for (const Json& bad : {
           Json{{"todos", {{{"content", "x"}, {"status", "done"}}}}},
           Json{{"todos", {{{"content", "  "}, {"status", "pending"}}}}},
           Json{{"todos", {{{"status", "pending"}}}}},
           Json{{"todos", {{{"content", "x"}, {"status", "pending"}, {"activeForm", 3}}}}},
           Json{{"todos", {"x"}}},
           Json{{"todos", "x"}},
           Json::object(),
       }) {
    ToolResult r = Todo(bad);
    EXPECT_TRUE(r.is_error) << bad.dump();
    ASSERT_EQ(h.todos.size(), 1u);
    EXPECT_EQ(h.todos[0]["content"], "Keep");
  }
}

TEST_F(TodoWriteToolTest, WorksWithoutAList) {
  h.ctx.todos = nullptr;
  EXPECT_FALSE(Todo({{"todos", {{{"content", "a"}, {"status", "pending"}}}}}).is_error);
}

TEST_F(TodoWriteToolTest, SchemaAndFlags) {
  EXPECT_EQ(tool->name(), "TodoWrite");
  EXPECT_TRUE(tool->read_only());
  EXPECT_EQ(tool->Subject({}, h.ctx).kind, PermissionSubject::Kind::kNone);
  Json schema = tool->input_schema();
  EXPECT_EQ(schema["required"], Json::array({"todos"}));
  EXPECT_EQ(schema["properties"]["todos"]["items"]["properties"]["status"]["enum"],
            Json::array({"pending", "in_progress", "completed"}));
}

}  // namespace
}  // namespace brock
