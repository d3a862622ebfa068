#include "agent/tool_ls.h"

#include <fnmatch.h>

#include <deque>
#include <map>
#include <nlohmann/json.hpp>
#include <vector>

#include "agent/file_guard.h"
#include "agent/tool_input.h"
#include "base/strings.h"

namespace brock {

bool LsIgnoreMatches(std::string_view pattern, std::string_view name, std::string_view relative) {
  std::string p(pattern);
  while (p.size() > 1 && p.back() == '/') p.pop_back();  // "build/" names the directory
  if (p.empty()) return false;
  std::string n(name), r(relative);
  return ::fnmatch(p.c_str(), n.c_str(), 0) == 0 || ::fnmatch(p.c_str(), r.c_str(), 0) == 0;
}

namespace {

struct Node {
  bool is_dir = false;
  std::map<std::string, Node> children;
};

void Print(const Node& node, int depth, std::string* out) {
  for (const auto& [name, child] : node.children) {
    out->append(static_cast<size_t>(depth) * 2, ' ');
    *out += "- " + name + (child.is_dir ? "/" : "") + "\n";
    if (child.is_dir) Print(child, depth + 1, out);
  }
}

class LsTool : public Tool {
 public:
  std::string name() const override { return "LS"; }

  std::string description() const override {
    return "Lists files and directories under a path as a tree. path must be an absolute path "
           "to a directory. ignore takes glob patterns of entries to leave out. Hidden entries "
           "(.git and other dot-files) are not shown. Prefer Glob and Grep when you know what "
           "you are looking for.";
  }

  Json input_schema() const override {
    return Json{
        {"type", "object"},
        {"properties",
         {{"path",
           {{"type", "string"},
            {"description",
             "The absolute path to the directory to list (must be absolute, not relative)"}}},
          {"ignore",
           {{"type", "array"},
            {"items", {{"type", "string"}}},
            {"description", "List of glob patterns to ignore"}}}}},
        {"required", {"path"}},
        {"additionalProperties", false},
        {"$schema", "http://json-schema.org/draft-07/schema#"}};
  }

  bool read_only() const override { return true; }

  PermissionSubject Subject(const Json& input, const ToolContext& ctx) const override {
    std::string path, error;
    GetStringField(input, "path", false, &path, &error);
    return {PermissionSubject::Kind::kPath, ResolveToolPath(path, ctx)};
  }

  Result<ToolResult> Run(const Json& input, ToolContext& ctx) override {
    std::string raw, error;
    if (!GetPathField(input, "path", true, &raw, &error)) return ToolResult::Text(error, true);
    if (raw.empty()) return ToolResult::Text("path must not be empty.", true);
    std::vector<std::string> ignore;
    if (input.contains("ignore") && !input["ignore"].is_null()) {
      const Json& list = input["ignore"];
      if (!list.is_array()) {
        return ToolResult::Text("The parameter `ignore` must be an array of glob patterns.", true);
      }
      for (const Json& p : list) {
        if (!p.is_string()) {
          return ToolResult::Text("Every entry of `ignore` must be a string.", true);
        }
        ignore.push_back(p.get<std::string>());
      }
    }
    const std::string root = ResolveToolPath(raw, ctx);
    FileInfo info = ctx.env.Stat(root);
    if (!info.exists) return ToolResult::Text("Directory does not exist: " + root, true);
    if (!info.is_directory) {
      return ToolResult::Text(root + " is a file, not a directory. Use the Read tool to read it.",
                              true);
    }

    Node tree;
    size_t count = 0;
    bool truncated = false;
    // Breadth-first, so a capped listing still shows the top levels completely.
    std::deque<std::pair<std::string, Node*>> queue;  // relative dir ("" for root), its node
    queue.emplace_back("", &tree);
    while (!queue.empty() && !truncated) {
      auto [rel_dir, node] = queue.front();
      queue.pop_front();
      const std::string dir = rel_dir.empty() ? root : JoinPath(root, rel_dir);
      for (const std::string& name : ctx.env.ListDir(dir)) {
        if (name.empty() || name[0] == '.' || name == "__pycache__") continue;
        const std::string rel = rel_dir.empty() ? name : rel_dir + "/" + name;
        bool skip = false;
        for (const std::string& p : ignore) {
          if (LsIgnoreMatches(p, name, rel)) {
            skip = true;
            break;
          }
        }
        if (skip) continue;
        if (ctx.may_show && !ctx.may_show(JoinPath(dir, name), root)) continue;  // Read rules
        if (count >= kLsMaxEntries) {
          truncated = true;
          break;
        }
        ++count;
        Node& child = node->children[name];
        child.is_dir = ctx.env.Stat(JoinPath(dir, name)).is_directory;
        if (child.is_dir) queue.emplace_back(rel, &child);
      }
    }

    std::string out;
    if (truncated) {
      out += "There are more than " + std::to_string(kLsMaxEntries) +
             " files and directories under " + root +
             ". Use LS on a more specific path, or Glob and Grep, to explore further. The first " +
             std::to_string(kLsMaxEntries) + " entries are included below:\n\n";
    }
    out += "- " + root + (EndsWith(root, "/") ? "" : "/") + "\n";
    Print(tree, 1, &out);
    if (count == 0) out += "  (empty directory)\n";
    return ToolResult::Text(out);
  }
};

}  // namespace

std::unique_ptr<Tool> MakeLsTool() { return std::make_unique<LsTool>(); }

}  // namespace brock
