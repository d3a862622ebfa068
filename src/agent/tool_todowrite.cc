#include "agent/tool_todowrite.h"

#include <nlohmann/json.hpp>

#include "base/strings.h"

namespace brock {
namespace {

class TodoWriteTool : public Tool {
 public:
  std::string name() const override { return "TodoWrite"; }

  std::string description() const override {
    return "Creates and updates a structured task list for the current session, so you and the "
           "user can follow progress on multi-step work.\n\n"
           "- Use it for tasks with 3 or more steps, or when the user gives several tasks; skip "
           "it for single, trivial requests.\n"
           "- Each call sends the complete list; it replaces the previous one.\n"
           "- status is pending, in_progress or completed. Keep exactly one task in_progress "
           "while working, and mark each task completed as soon as it is done (not when it "
           "failed or is partial).\n"
           "- content is the imperative form (\"Run tests\"); activeForm the present continuous "
           "form shown while it runs (\"Running tests\").";
  }

  Json input_schema() const override {
    Json item = {
        {"type", "object"},
        {"properties",
         {{"content", {{"type", "string"}, {"minLength", 1}}},
          {"status", {{"type", "string"}, {"enum", {"pending", "in_progress", "completed"}}}},
          {"activeForm", {{"type", "string"}, {"minLength", 1}}}}},
        {"required", {"content", "status", "activeForm"}},
        {"additionalProperties", false}};
    return Json{
        {"type", "object"},
        {"properties",
         {{"todos",
           {{"type", "array"}, {"items", item}, {"description", "The updated todo list"}}}}},
        {"required", {"todos"}},
        {"additionalProperties", false},
        {"$schema", "http://json-schema.org/draft-07/schema#"}};
  }

  // Changes only the session's own list: allowed without asking and in plan mode.
  bool read_only() const override { return true; }

  PermissionSubject Subject(const Json& input, const ToolContext& ctx) const override { return {}; }

  Result<ToolResult> Run(const Json& input, ToolContext& ctx) override {
    if (!input.is_object() || !input.contains("todos") || !input["todos"].is_array()) {
      return ToolResult::Text(
          "The parameter `todos` must be an array of {content, status, "
          "activeForm} objects.",
          true);
    }
    Json list = Json::array();
    int pending = 0, in_progress = 0, completed = 0;
    const Json& todos = input["todos"];
    for (size_t i = 0; i < todos.size(); ++i) {
      const Json& t = todos[i];
      const std::string where = "todos[" + std::to_string(i) + "]";
      if (!t.is_object()) return ToolResult::Text(where + " must be an object.", true);
      auto content = t.find("content");
      if (content == t.end() || !content->is_string() ||
          Trim(content->get<std::string>()).empty()) {
        return ToolResult::Text(where + ".content must be a non-empty string.", true);
      }
      auto status = t.find("status");
      std::string s = status != t.end() && status->is_string() ? status->get<std::string>() : "";
      if (s == "pending") {
        ++pending;
      } else if (s == "in_progress") {
        ++in_progress;
      } else if (s == "completed") {
        ++completed;
      } else {
        return ToolResult::Text(
            where + ".status must be one of \"pending\", \"in_progress\", \"completed\".", true);
      }
      Json item = {{"content", content->get<std::string>()}, {"status", s}};
      for (const char* optional : {"activeForm", "id", "priority"}) {
        auto it = t.find(optional);
        if (it == t.end() || it->is_null()) continue;
        if (!it->is_string()) {
          return ToolResult::Text(where + "." + optional + " must be a string.", true);
        }
        item[optional] = *it;
      }
      list.push_back(std::move(item));
    }
    if (ctx.todos != nullptr) *ctx.todos = std::move(list);
    return ToolResult::Text(
        "Todos have been modified successfully (" + std::to_string(pending) + " pending, " +
        std::to_string(in_progress) + " in progress, " + std::to_string(completed) +
        " completed). Ensure that you continue to use the todo list to track your progress. "
        "Please proceed with the current tasks if applicable.");
  }
};

}  // namespace

std::unique_ptr<Tool> MakeTodoWriteTool() { return std::make_unique<TodoWriteTool>(); }

}  // namespace brock
