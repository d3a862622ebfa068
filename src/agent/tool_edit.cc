#include "agent/tool_edit.h"

#include <nlohmann/json.hpp>

#include "agent/edit_apply.h"
#include "agent/file_guard.h"
#include "agent/tool_input.h"

namespace brock {
namespace {

class EditTool : public Tool {
 public:
  std::string name() const override { return "Edit"; }

  std::string description() const override {
    return "Performs an exact string replacement in a file.\n\n"
           "Usage:\n"
           "- Read the file with the Read tool first; editing a file you have not read, or that "
           "changed since you read it, fails.\n"
           "- old_string must match the file exactly, including indentation. Copy it from the "
           "text after the TAB in Read's output, never the line-number prefix.\n"
           "- The edit fails when old_string occurs more than once: add surrounding lines to make "
           "it unique, or set replace_all to change every occurrence (e.g. to rename a "
           "variable).\n"
           "- An empty old_string on a file that does not exist creates it with new_string.\n"
           "- Prefer editing existing files over creating new ones.";
  }

  Json input_schema() const override {
    return Json{
        {"type", "object"},
        {"properties",
         {{"file_path",
           {{"type", "string"}, {"description", "The absolute path to the file to modify"}}},
          {"old_string", {{"type", "string"}, {"description", "The text to replace"}}},
          {"new_string",
           {{"type", "string"},
            {"description", "The text to replace it with (must be different from old_string)"}}},
          {"replace_all",
           {{"type", "boolean"},
            {"default", false},
            {"description", "Replace all occurrences of old_string (default false)"}}}}},
        {"required", {"file_path", "old_string", "new_string"}},
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
    EditSpec edit;
    if (!GetPathField(input, "file_path", true, &raw, &error) ||
        !GetStringField(input, "old_string", true, &edit.old_string, &error) ||
        !GetStringField(input, "new_string", true, &edit.new_string, &error) ||
        !GetBoolField(input, "replace_all", false, &edit.replace_all, &error)) {
      return ToolResult::Text(error, true);
    }
    if (raw.empty()) return ToolResult::Text("file_path must not be empty.", true);
    return EditFile(ResolveToolPath(raw, ctx), {edit}, ctx);
  }
};

}  // namespace

std::unique_ptr<Tool> MakeEditTool() { return std::make_unique<EditTool>(); }

}  // namespace brock
