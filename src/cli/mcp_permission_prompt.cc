#include "cli/mcp_permission_prompt.h"

#include <atomic>
#include <nlohmann/json.hpp>
#include <utility>

namespace brock {
namespace {

PromptToolAnswer Deny(std::string message) {
  PromptToolAnswer a;
  a.message = std::move(message);
  return a;
}

std::string Unanswered(const std::string& tool_name, const std::string& cause,
                       const std::string& fix) {
  return "Permission was not granted: the permission prompt tool " + tool_name + " " + cause +
         ". " + fix;
}

}  // namespace

bool IsMcpPermissionPromptTool(const std::string& value) {
  return value.size() > 5 && value.compare(0, 5, "mcp__") == 0;
}

PromptToolAnswer ParsePermissionPromptResult(const std::string& tool_name,
                                             const ToolResult& result) {
  const std::string kFix =
      "It must answer with one text block holding {\"behavior\":\"allow\",\"updatedInput\":{...}} "
      "or {\"behavior\":\"deny\",\"message\":\"...\"}.";
  std::string text = result.AllText();
  if (result.is_error) {
    return Deny(Unanswered(tool_name, "failed: " + text, "Fix the tool or its server."));
  }
  Json answer = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (!answer.is_object()) {
    return Deny(Unanswered(tool_name, "did not answer with a JSON object", kFix));
  }
  std::string behavior = answer.value("behavior", "");
  if (behavior == "deny") {
    std::string message = answer.contains("message") && answer["message"].is_string()
                              ? answer["message"].get<std::string>()
                              : "";
    return Deny(message.empty()
                    ? "Permission was denied by the permission prompt tool " + tool_name + "."
                    : message);
  }
  if (behavior != "allow") {
    return Deny(Unanswered(tool_name, "answered neither \"allow\" nor \"deny\"", kFix));
  }
  PromptToolAnswer a;
  a.allow = true;
  if (answer.contains("updatedInput")) {
    if (!answer["updatedInput"].is_object()) {
      return Deny(Unanswered(tool_name, "answered an updatedInput that is not an object", kFix));
    }
    a.updated_input = answer["updatedInput"];
  }
  return a;
}

PermissionPromptTool McpPermissionPromptTool(std::string name,
                                             const std::vector<std::unique_ptr<Tool>>* mcp_tools,
                                             ToolContext* ctx) {
  return [name = std::move(name), mcp_tools, ctx](const Tool& tool, const Json& input,
                                                  const PermissionDecision&) {
    static std::atomic<uint64_t> n{1};
    Tool* prompt = nullptr;
    for (const auto& t : *mcp_tools) {
      if (t->name() == name) prompt = t.get();  // the newest list's comes last
    }
    if (!prompt) {
      return Deny(Unanswered(name, "is not a tool of a connected MCP server",
                             "Check the server and tool names (mcp__<server>__<tool>) against "
                             "--mcp-config or `brock mcp list`, and that the server started."));
    }
    Json args = {{"tool_name", tool.name()},
                 {"input", input},
                 {"tool_use_id", "brock_perm_" + std::to_string(n++)}};
    auto ran = prompt->Run(args, *ctx);
    if (!ran.ok()) {
      return Deny(Unanswered(name, "could not be called: " + ran.error().ToString(),
                             "Check that its MCP server is running."));
    }
    return ParsePermissionPromptResult(name, *ran);
  };
}

}  // namespace brock
