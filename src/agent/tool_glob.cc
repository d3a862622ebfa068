#include "agent/tool_glob.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "agent/file_guard.h"
#include "agent/file_walker.h"
#include "agent/glob_pattern.h"
#include "agent/tool_input.h"
#include "base/strings.h"

namespace brock {

namespace {

constexpr size_t kGlobMaxResults = 100;

ToolResult TextResult(std::string text, bool is_error = false) {
  ToolResult r;
  r.content.push_back(Json{{"type", "text"}, {"text", std::move(text)}});
  r.is_error = is_error;
  return r;
}

// True when some path component of the pattern starts with '.' (".github/**", "**/.env*"), so
// hidden files are wanted.
bool NamesHiddenComponent(std::string_view pattern) {
  for (size_t i = 0; i < pattern.size(); ++i) {
    bool component_start =
        i == 0 || pattern[i - 1] == '/' || pattern[i - 1] == '{' || pattern[i - 1] == ',';
    if (!component_start || pattern[i] != '.') continue;
    // "./" and "../" are not hidden names.
    std::string_view rest = pattern.substr(i);
    if (rest.substr(0, 2) == "./" || rest.substr(0, 3) == "../" || rest == "." || rest == "..") {
      continue;
    }
    return true;
  }
  return false;
}

class GlobTool : public Tool {
 public:
  std::string name() const override { return "Glob"; }

  std::string description() const override {
    return "- Fast file pattern matching tool that works with any codebase size\n"
           "- Supports glob patterns like \"**/*.js\" or \"src/**/*.ts\"\n"
           "- Returns matching file paths sorted by modification time\n"
           "- Use this tool when you need to find files by name patterns\n"
           "- You can call multiple tools in a single response. It is always better to "
           "speculatively perform multiple searches in parallel if they are potentially "
           "useful.";
  }

  Json input_schema() const override {
    return Json{
        {"type", "object"},
        {"properties",
         {{"pattern",
           {{"type", "string"}, {"description", "The glob pattern to match files against"}}},
          {"path",
           {{"type", "string"},
            {"description",
             "The directory to search in. If not specified, the current working directory will "
             "be used. IMPORTANT: Omit this field to use the default directory. DO NOT enter "
             "\"undefined\" or \"null\" - simply omit it for the default behavior. Must be a "
             "valid directory path if provided."}}}}},
        {"required", {"pattern"}},
        {"additionalProperties", false},
        {"$schema", "http://json-schema.org/draft-07/schema#"}};
  }

  bool read_only() const override { return true; }

  PermissionSubject Subject(const Json& input, const ToolContext& ctx) const override {
    std::string path, pattern, error;
    GetStringField(input, "path", false, &path, &error);
    GetStringField(input, "pattern", false, &pattern, &error);
    if (!pattern.empty() && pattern[0] == '/') {
      // An absolute pattern walks from its literal directories: that is what is read.
      auto glob = GlobPattern::Compile(pattern.substr(1));
      std::string prefix = glob.ok() ? glob->LiteralDirPrefix() : "";
      return {PermissionSubject::Kind::kPath, "/" + prefix};
    }
    return {PermissionSubject::Kind::kPath, SearchRoot(path, ctx)};
  }

  Result<ToolResult> Run(const Json& input, ToolContext& ctx) override {
    std::string pattern, path, error;
    if (!GetStringField(input, "pattern", true, &pattern, &error) ||
        !GetPathField(input, "path", false, &path, &error)) {
      return TextResult(error, true);
    }
    if (pattern.empty()) return TextResult("pattern must not be empty.", true);
    std::string root = SearchRoot(path, ctx);
    const std::string cwd = ctx.cwd.empty() ? ctx.env.CurrentDir() : ctx.cwd;
    // An absolute pattern searches from "/" (its literal directories narrow the walk); "./x" is
    // "x".
    std::string rel_pattern = pattern;
    if (rel_pattern[0] == '/') {
      root = "/";
      rel_pattern.erase(0, 1);
    }
    FileInfo info = ctx.env.Stat(root);
    if (!info.exists) return TextResult("Directory does not exist: " + root, true);
    if (!info.is_directory) return TextResult("Path is not a directory: " + root, true);
    while (StartsWith(rel_pattern, "./")) rel_pattern.erase(0, 2);
    auto glob = GlobPattern::Compile(rel_pattern);
    if (!glob.ok()) return TextResult(glob.error().message, true);

    WalkOptions walk;
    walk.hidden = NamesHiddenComponent(rel_pattern);
    walk.skip_dir_names = {".git", ".svn", ".hg", ".bzr"};
    walk.start_subdir = glob->LiteralDirPrefix();
    walk.cancel = ctx.cancel;
    auto files = WalkFiles(root, walk);
    if (!files.ok()) return TextResult(files.error().message, true);

    std::vector<std::pair<int64_t, std::string>> hits;
    for (const WalkedFile& f : *files) {
      if (!glob->Matches(f.rel)) continue;
      if (ctx.may_show && !ctx.may_show(f.path, root)) continue;  // hidden by Read rules
      hits.emplace_back(ModifiedNanos(f.path), f.path);
    }
    if (ctx.cancel != nullptr && ctx.cancel->load()) {
      return TextResult("Search interrupted.", true);
    }
    if (hits.empty()) return TextResult("No files found");
    std::sort(hits.begin(), hits.end(), [](const auto& a, const auto& b) {
      if (a.first != b.first) return a.first > b.first;  // newest first
      return a.second < b.second;
    });
    bool truncated = hits.size() > kGlobMaxResults;
    if (truncated) hits.resize(kGlobMaxResults);
    std::string text;
    for (const auto& [mtime, abs] : hits) {
      if (!text.empty()) text.push_back('\n');
      text += DisplayPath(abs, cwd);
    }
    if (truncated) {
      text += "\n(Results are truncated. Consider using a more specific path or pattern.)";
    }
    return TextResult(std::move(text));
  }

 private:
  static std::string SearchRoot(const std::string& path, const ToolContext& ctx) {
    if (!path.empty()) return ResolveToolPath(path, ctx);
    std::string cwd = ctx.cwd.empty() ? ctx.env.CurrentDir() : ctx.cwd;
    return NormalizeAbsolutePath(cwd);
  }
};

}  // namespace

std::unique_ptr<Tool> MakeGlobTool() { return std::make_unique<GlobTool>(); }

}  // namespace brock
