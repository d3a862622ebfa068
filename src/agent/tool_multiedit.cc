#include "agent/tool_multiedit.h"

#include <nlohmann/json.hpp>

#include "agent/edit_apply.h"
#include "agent/file_guard.h"
#include "agent/tool_input.h"

namespace brock {
namespace {

class MultiEditTool : public Tool {
 public:
  std::string name() const override { return "MultiEdit"; }

  std::string description() const override {
    return "Makes several exact string replacements in one file in a single operation. Prefer "
           "it to several Edit calls on the same file.\n\n"
           "- Read the file first; each edit follows the rules of the Edit tool.\n"
           "- Edits are applied in order, each to the result of the previous one, so an earlier "
           "edit can change the text a later one looks for.\n"
           "- All or nothing: if any edit fails, the file is left unchanged.\n"
           "- To create a file, make the first edit's old_string empty.";
  }

  Json input_schema() const override {
    Json edit = {
        {"type", "object"},
        {"properties",
         {{"old_string", {{"type", "string"}, {"description", "The text to replace"}}},
          {"new_string", {{"type", "string"}, {"description", "The text to replace it with"}}},
          {"replace_all",
           {{"type", "boolean"},
            {"default", false},
            {"description", "Replace all occurrences of old_string (default false)."}}}}},
        {"required", {"old_string", "new_string"}},
        {"additionalProperties", false}};
    return Json{
        {"type", "object"},
        {"properties",
         {{"file_path",
           {{"type", "string"}, {"description", "The absolute path to the file to modify"}}},
          {"edits",
           {{"type", "array"},
            {"items", edit},
            {"minItems", 1},
            {"description", "Array of edit operations to perform sequentially on the file"}}}}},
        {"required", {"file_path", "edits"}},
        {"additionalProperties", false},
        {"$schema", "http://json-schema.org/draft-07/schema#"}};
  }

  bool read_only() const override { return false; }
  bool edits_files() const override { return true; }

  PermissionSubject Subject(const Json& input, const ToolContext& ctx) const override {
    std::string path, error;
    GetStringField(input, "file_path", false, &path, &error);
    return {PermissionSubject::Kind::kPath, ResolveToolPath(path, ctx)};
  }

  Result<ToolResult> Run(const Json& input, ToolContext& ctx) override {
    std::string raw, error;
    if (!GetPathField(input, "file_path", true, &raw, &error)) {
      return ToolResult::Text(error, true);
    }
    if (raw.empty()) return ToolResult::Text("file_path must not be empty.", true);
    auto it = input.find("edits");
    if (it == input.end() || !it->is_array() || it->empty()) {
      return ToolResult::Text(
          "The parameter `edits` must be a non-empty array of "
          "{old_string, new_string, replace_all?} objects.",
          true);
    }
    std::vector<EditSpec> edits;
    for (size_t i = 0; i < it->size(); ++i) {
      const Json& e = (*it)[i];
      EditSpec spec;
      if (!e.is_object() || !GetStringField(e, "old_string", true, &spec.old_string, &error) ||
          !GetStringField(e, "new_string", true, &spec.new_string, &error) ||
          !GetBoolField(e, "replace_all", false, &spec.replace_all, &error)) {
        if (!e.is_object()) error = "must be an object";
        return ToolResult::Text("edits[" + std::to_string(i) + "]: " + error, true);
      }
      edits.push_back(std::move(spec));
    }
    return EditFile(ResolveToolPath(raw, ctx), edits, ctx);
  }
};

}  // namespace

std::unique_ptr<Tool> MakeMultiEditTool() { return std::make_unique<MultiEditTool>(); }

}  // namespace brock
