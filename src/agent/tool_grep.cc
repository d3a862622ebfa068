#include "agent/tool_grep.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "agent/file_guard.h"
#include "agent/file_types.h"
#include "agent/file_walker.h"
#include "agent/grep_search.h"
#include "agent/tool_input.h"
#include "base/error_codes.h"
#include "base/strings.h"

namespace brock {

namespace {

ToolResult TextResult(std::string text, bool is_error = false) {
  ToolResult r;
  r.content.push_back(Json{{"type", "text"}, {"text", std::move(text)}});
  r.is_error = is_error;
  return r;
}

// Claude Code's splitting of the `glob` input: whitespace separates globs; a glob without a
// brace group is further split at commas ("*.ts,*.tsx").
std::vector<std::string> SplitGlobInput(std::string_view input) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < input.size()) {
    while (i < input.size() && std::isspace(static_cast<unsigned char>(input[i]))) ++i;
    size_t start = i;
    while (i < input.size() && !std::isspace(static_cast<unsigned char>(input[i]))) ++i;
    std::string_view piece = input.substr(start, i - start);
    if (piece.empty()) continue;
    if (piece.find('{') != std::string_view::npos && piece.find('}') != std::string_view::npos) {
      out.emplace_back(piece);
    } else {
      for (const std::string& part : Split(piece, ',')) {
        if (!part.empty()) out.push_back(part);
      }
    }
  }
  return out;
}

// Lines [offset, offset + limit) of `items` (limit < 0: all).
template <class T>
std::vector<T> Slice(std::vector<T> items, int64_t limit, int64_t offset) {
  size_t begin = std::min(items.size(), static_cast<size_t>(std::max<int64_t>(offset, 0)));
  size_t end = items.size();
  if (limit >= 0) end = std::min(end, begin + static_cast<size_t>(limit));
  return std::vector<T>(std::make_move_iterator(items.begin() + static_cast<ptrdiff_t>(begin)),
                        std::make_move_iterator(items.begin() + static_cast<ptrdiff_t>(end)));
}

std::string PaginationNote(int64_t limit, int64_t offset) {
  if (limit < 0 && offset <= 0) return "";
  std::string note = "[Showing results with pagination = ";
  if (limit >= 0) note += "limit: " + std::to_string(limit);
  if (offset > 0) note += std::string(limit >= 0 ? ", " : "") + "offset: " + std::to_string(offset);
  return note + "]";
}

class GrepTool : public Tool {
 public:
  std::string name() const override { return "Grep"; }

  std::string description() const override {
    return "A powerful search tool built on ripgrep's rules\n\n"
           "  Usage:\n"
           "  - ALWAYS use Grep for search tasks. NEVER invoke `grep` or `rg` as a Bash command. "
           "The Grep tool has been optimized for correct permissions and access.\n"
           "  - Supports full regex syntax (e.g., \"log.*Error\", \"function\\\\s+\\\\w+\")\n"
           "  - Filter files with glob parameter (e.g., \"*.js\", \"**/*.tsx\") or type parameter "
           "(e.g., \"js\", \"py\", \"rust\")\n"
           "  - Output modes: \"content\" shows matching lines, \"files_with_matches\" shows only "
           "file paths (default), \"count\" shows match counts\n"
           "  - Pattern syntax: Uses ripgrep (not grep) - literal braces need escaping (use "
           "`interface\\\\{\\\\}` to find `interface{}` in Go code)\n"
           "  - Multiline matching: By default patterns match within single lines only. For "
           "cross-line patterns like `struct \\\\{[\\\\s\\\\S]*?field`, use `multiline: true`\n";
  }

  Json input_schema() const override {
    auto num = [](const char* d) { return Json{{"type", "number"}, {"description", d}}; };
    return Json{
        {"type", "object"},
        {"properties",
         {{"pattern",
           {{"type", "string"},
            {"description", "The regular expression pattern to search for in file contents"}}},
          {"path",
           {{"type", "string"},
            {"description",
             "File or directory to search in (rg PATH). Defaults to current working "
             "directory."}}},
          {"glob",
           {{"type", "string"},
            {"description",
             "Glob pattern to filter files (e.g. \"*.js\", \"*.{ts,tsx}\") - maps to rg "
             "--glob"}}},
          {"output_mode",
           {{"type", "string"},
            {"enum", {"content", "files_with_matches", "count"}},
            {"description",
             "Output mode: \"content\" shows matching lines (supports -A/-B/-C context, -n line "
             "numbers, head_limit), \"files_with_matches\" shows file paths (supports "
             "head_limit), \"count\" shows match counts (supports head_limit). Defaults to "
             "\"files_with_matches\"."}}},
          {"-B", num("Number of lines to show before each match (rg -B). Requires output_mode: "
                     "\"content\", ignored otherwise.")},
          {"-A", num("Number of lines to show after each match (rg -A). Requires output_mode: "
                     "\"content\", ignored otherwise.")},
          {"-C", num("Number of lines to show before and after each match (rg -C). Requires "
                     "output_mode: \"content\", ignored otherwise.")},
          {"-n",
           {{"type", "boolean"},
            {"description",
             "Show line numbers in output (rg -n). Requires output_mode: \"content\", ignored "
             "otherwise. Defaults to true."}}},
          {"-i", {{"type", "boolean"}, {"description", "Case insensitive search (rg -i)"}}},
          {"type",
           {{"type", "string"},
            {"description",
             "File type to search (rg --type). Common types: js, py, rust, go, java, etc. More "
             "efficient than include for standard file types."}}},
          {"head_limit",
           num("Limit output to first N lines/entries, equivalent to \"| head -N\". Works across "
               "all output modes: content (limits output lines), files_with_matches (limits "
               "file paths), count (limits count entries). Defaults to 0 (unlimited).")},
          {"offset",
           num("Skip first N lines/entries before applying head_limit, equivalent to \"| tail -n "
               "+N | head -N\". Works across all output modes. Defaults to 0.")},
          {"multiline",
           {{"type", "boolean"},
            {"description",
             "Enable multiline mode where . matches newlines and patterns can span lines (rg -U "
             "--multiline-dotall). Default: false."}}}}},
        {"required", {"pattern"}},
        {"additionalProperties", false},
        {"$schema", "http://json-schema.org/draft-07/schema#"}};
  }

  bool read_only() const override { return true; }

  PermissionSubject Subject(const Json& input, const ToolContext& ctx) const override {
    std::string path, error;
    GetStringField(input, "path", false, &path, &error);
    return {PermissionSubject::Kind::kPath, SearchRoot(path, ctx)};
  }

  Result<ToolResult> Run(const Json& input, ToolContext& ctx) override {
    std::string pattern, path, glob, type, mode_name = "files_with_matches", error;
    bool insensitive = false, line_numbers = true, multiline = false;
    int64_t before = -1, after = -1, context = -1, head_limit = 0, offset = 0;
    if (!GetStringField(input, "pattern", true, &pattern, &error) ||
        !GetPathField(input, "path", false, &path, &error) ||
        !GetStringField(input, "glob", false, &glob, &error) ||
        !GetStringField(input, "type", false, &type, &error) ||
        !GetStringField(input, "output_mode", false, &mode_name, &error) ||
        !GetBoolField(input, "-i", false, &insensitive, &error) ||
        !GetBoolField(input, "-n", false, &line_numbers, &error) ||
        !GetBoolField(input, "multiline", false, &multiline, &error) ||
        !GetIntField(input, "-A", false, &after, &error) ||
        !GetIntField(input, "-B", false, &before, &error) ||
        !GetIntField(input, "-C", false, &context, &error) ||
        !GetIntField(input, "head_limit", false, &head_limit, &error) ||
        !GetIntField(input, "offset", false, &offset, &error)) {
      return TextResult(error, true);
    }
    GrepFormat format;
    if (mode_name == "files_with_matches") {
      format.mode = GrepMode::kFilesWithMatches;
    } else if (mode_name == "content") {
      format.mode = GrepMode::kContent;
    } else if (mode_name == "count") {
      format.mode = GrepMode::kCount;
    } else {
      return TextResult("output_mode must be \"content\", \"files_with_matches\" or \"count\".",
                        true);
    }
    if (head_limit < 0 || offset < 0) {
      return TextResult("head_limit and offset must be 0 or more.", true);
    }
    if (context >= 0) {
      before = after = context;
    }
    format.before = static_cast<int>(std::clamp<int64_t>(before, 0, 1000000));
    format.after = static_cast<int>(std::clamp<int64_t>(after, 0, 1000000));
    format.line_numbers = line_numbers;
    int64_t limit = head_limit > 0 ? head_limit : -1;

    auto matcher = GrepMatcher::Compile(pattern, insensitive, multiline);
    if (!matcher.ok()) return TextResult(matcher.error().message, true);

    const std::string root = SearchRoot(path, ctx);
    const std::string cwd = ctx.cwd.empty() ? ctx.env.CurrentDir() : ctx.cwd;
    WalkOptions walk;
    walk.hidden = true;  // Claude Code runs rg --hidden
    walk.globs = SplitGlobInput(glob);
    for (const char* vcs : {"!.git", "!.svn", "!.hg", "!.bzr"}) walk.globs.push_back(vcs);
    if (!type.empty()) {
      walk.type_globs = FileTypeGlobs(type);
      if (walk.type_globs.empty()) {
        return TextResult("unrecognized file type: " + type +
                              " (known types: " + Join(FileTypeNames(), ", ") + ")",
                          true);
      }
    }
    walk.cancel = ctx.cancel;
    auto files = WalkFiles(root, walk);
    if (!files.ok()) {
      if (errc::Is(files.error(), errc::kPathNotFound)) {
        return TextResult("Path does not exist: " + root, true);
      }
      return TextResult(files.error().message, true);
    }
    const bool root_is_file = files->size() == 1 && (*files)[0].path == root;
    if (ctx.may_show) {
      // Files the Read rules hide are never searched (a denied .env never reaches the model).
      std::erase_if(*files, [&](const WalkedFile& f) { return !ctx.may_show(f.path, root); });
    }

    // Content and count list files in path order.
    std::sort(files->begin(), files->end(),
              [](const WalkedFile& a, const WalkedFile& b) { return a.rel < b.rel; });
    std::vector<std::string> paths, display;
    paths.reserve(files->size());
    display.reserve(files->size());
    for (WalkedFile& f : *files) {
      display.push_back(DisplayPath(f.path, cwd));
      paths.push_back(std::move(f.path));
    }
    SearchFilesOptions search;
    search.skip_binary = !root_is_file;
    search.cancel = ctx.cancel;
    std::vector<FileSearchResult> results = SearchFiles(paths, display, *matcher, format, search);
    if (ctx.cancel != nullptr && ctx.cancel->load()) {
      return TextResult("Search interrupted.", true);
    }

    const std::string note = PaginationNote(limit, offset);
    if (format.mode == GrepMode::kFilesWithMatches) {
      std::vector<std::pair<int64_t, size_t>> hits;
      for (size_t i = 0; i < results.size(); ++i) {
        if (results[i].count > 0) hits.emplace_back(ModifiedNanos(paths[i]), i);
      }
      std::sort(hits.begin(), hits.end(), [&](const auto& a, const auto& b) {
        if (a.first != b.first) return a.first > b.first;  // newest first
        return display[a.second] < display[b.second];
      });
      std::vector<std::string> names;
      for (const auto& [mtime, i] : hits) names.push_back(display[i]);
      names = Slice(std::move(names), limit, offset);
      if (names.empty()) return TextResult("No files found");
      std::string text = "Found " + std::to_string(names.size()) +
                         (names.size() == 1 ? " file" : " files") +
                         (note.empty() ? "" : " " + note) + "\n" + Join(names, "\n");
      return TextResult(std::move(text));
    }
    if (format.mode == GrepMode::kCount) {
      std::vector<std::string> lines;
      std::vector<uint64_t> counts;
      for (size_t i = 0; i < results.size(); ++i) {
        if (results[i].count == 0) continue;
        lines.push_back(display[i] + ":" + std::to_string(results[i].count));
        counts.push_back(results[i].count);
      }
      size_t begin = std::min(lines.size(), static_cast<size_t>(offset));
      lines = Slice(std::move(lines), limit, offset);
      uint64_t total = 0;
      for (size_t k = 0; k < lines.size(); ++k) total += counts[begin + k];
      if (lines.empty()) return TextResult("No matches found");
      std::string text = Join(lines, "\n") + "\n\nFound " + std::to_string(total) + " total " +
                         (total == 1 ? "occurrence" : "occurrences") + " across " +
                         std::to_string(lines.size()) + (lines.size() == 1 ? " file." : " files.") +
                         (note.empty() ? "" : " " + note);
      return TextResult(std::move(text));
    }
    // Content: the files' lines in path order, "--" between files when context is shown, then
    // [offset, offset + limit) of those lines. Built without splitting into a line vector, since
    // the output can be tens of megabytes.
    const bool with_context = format.before > 0 || format.after > 0;
    std::string text;
    size_t total = 0;
    for (const FileSearchResult& r : results) total += r.content.size() + 3;
    const bool sliced = limit >= 0 || offset > 0;
    if (!sliced) text.reserve(total);
    uint64_t line_index = 0;
    const uint64_t first = static_cast<uint64_t>(offset);
    const uint64_t last = limit >= 0 ? first + static_cast<uint64_t>(limit) : UINT64_MAX;
    auto add = [&](std::string_view chunk) {  // chunk: whole lines, each ending in '\n'
      if (!sliced) {
        text.append(chunk);
        return;
      }
      size_t pos = 0;
      while (pos < chunk.size() && line_index < last) {
        size_t nl = chunk.find('\n', pos);
        size_t next = nl == std::string_view::npos ? chunk.size() : nl + 1;
        if (line_index >= first) text.append(chunk.substr(pos, next - pos));
        ++line_index;
        pos = next;
      }
    };
    bool any = false;
    for (FileSearchResult& r : results) {
      if (r.content.empty()) continue;
      if (any && with_context) add("--\n");
      any = true;
      add(r.content);
      std::string().swap(r.content);  // free as we go
      if (sliced && line_index >= last) break;
    }
    if (!text.empty() && text.back() == '\n') text.pop_back();
    if (text.empty()) return TextResult("No matches found");
    if (!note.empty()) text += "\n\n" + note;
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

std::unique_ptr<Tool> MakeGrepTool() { return std::make_unique<GrepTool>(); }

}  // namespace brock
