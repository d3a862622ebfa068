#include "agent/tool_write.h"

#include <nlohmann/json.hpp>

#include "agent/file_guard.h"
#include "agent/tool_input.h"

namespace brock {
namespace {

class WriteTool : public Tool {
 public:
  std::string name() const override { return "Write"; }

  std::string description() const override {
    return "Writes a file to the local filesystem, replacing it if it exists.\n\n"
           "Usage:\n"
           "- file_path must be an absolute path; missing parent directories are created.\n"
           "- To overwrite an existing file you must Read it first; writing a file you have not "
           "read, or that changed since you read it, fails.\n"
           "- Prefer the Edit tool for changing existing files; use Write for new files or "
           "complete rewrites.\n"
           "- Do not create documentation files unless asked to.";
  }

  Json input_schema() const override {
    return Json{
        {"type", "object"},
        {"properties",
         {{"file_path",
           {{"type", "string"},
            {"description",
             "The absolute path to the file to write (must be absolute, not relative)"}}},
          {"content", {{"type", "string"}, {"description", "The content to write to the file"}}}}},
        {"required", {"file_path", "content"}},
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
    std::string raw, content, error;
    if (!GetPathField(input, "file_path", true, &raw, &error) ||
        !GetStringField(input, "content", true, &content, &error)) {
      return ToolResult::Text(error, true);
    }
    if (raw.empty()) return ToolResult::Text("file_path must not be empty.", true);
    const std::string path = ResolveToolPath(raw, ctx);
    FileInfo info = ctx.env.Stat(path);
    if (info.exists && info.is_directory) {
      return ToolResult::Text(path + " is a directory; give the path of a file.", true);
    }
    if (info.exists) {
      if (auto refusal = CheckReadBeforeWrite(ctx, path)) return ToolResult::Text(*refusal, true);
      // Keep a CRLF file CRLF when the model writes plain "\n" lines.
      Result<std::string> old = ctx.env.ReadFile(path);
      if (old.ok() && UsesCrlf(*old) && content.find("\r\n") == std::string::npos) {
        content = LfToCrlf(content);
      }
    }
    if (Status s = WriteFileKeepingMode(ctx.env, path, content); !s.ok()) {
      return ToolResult::Text("Could not write " + path + ": " + s.error().message, true);
    }
    RecordRead(ctx, path);
    if (info.exists) {
      return ToolResult::Text("The file " + path + " has been overwritten (" +
                              std::to_string(content.size()) + " bytes).");
    }
    return ToolResult::Text("File created successfully at: " + path);
  }
};

}  // namespace

std::unique_ptr<Tool> MakeWriteTool() { return std::make_unique<WriteTool>(); }

}  // namespace brock
