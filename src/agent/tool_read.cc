#include "agent/tool_read.h"

#include <nlohmann/json.hpp>

#include "agent/file_guard.h"
#include "agent/tool_input.h"
#include "base/strings.h"

namespace brock {

std::vector<std::string_view> SplitLines(std::string_view text) {
  std::vector<std::string_view> lines;
  size_t start = 0;
  while (start < text.size()) {
    size_t nl = text.find('\n', start);
    size_t end = nl == std::string_view::npos ? text.size() : nl;
    std::string_view line = text.substr(start, end - start);
    if (nl != std::string_view::npos && !line.empty() && line.back() == '\r') {
      line.remove_suffix(1);
    }
    lines.push_back(line);
    if (nl == std::string_view::npos) break;
    start = nl + 1;
  }
  return lines;
}

std::string NumberedLine(int64_t number, std::string_view line) {
  std::string n = std::to_string(number);
  std::string out;
  if (n.size() < 6) out.assign(6 - n.size(), ' ');
  out += n;
  out += '\t';
  out += line;
  out += '\n';
  return out;
}

std::string SniffImageType(std::string_view data) {
  if (StartsWith(data, "\x89PNG\r\n\x1a\n")) return "image/png";
  if (StartsWith(data, "\xff\xd8\xff")) return "image/jpeg";
  if (StartsWith(data, "GIF87a") || StartsWith(data, "GIF89a")) return "image/gif";
  if (data.size() >= 12 && StartsWith(data, "RIFF") && data.substr(8, 4) == "WEBP") {
    return "image/webp";
  }
  return "";
}

namespace {

bool HasImageExtension(std::string_view path) {
  std::string lower = ToLower(path);
  for (std::string_view ext : {".png", ".jpg", ".jpeg", ".gif", ".webp"}) {
    if (EndsWith(lower, ext)) return true;
  }
  return false;
}

std::string Reminder(std::string_view text) {
  return "<system-reminder>" + std::string(text) + "</system-reminder>";
}

class ReadTool : public Tool {
 public:
  std::string name() const override { return "Read"; }

  std::string description() const override {
    return "Reads a file from the local filesystem.\n\n"
           "Usage:\n"
           "- file_path must be an absolute path.\n"
           "- By default reads up to 2000 lines from the start of the file. For long files pass "
           "offset (the 1-based line number to start at) and limit (the number of lines).\n"
           "- Lines longer than 2000 characters are cut.\n"
           "- Output is in `cat -n` form: spaces, the line number, a TAB, then the line. When "
           "editing, match the text after the TAB exactly; never include the line-number "
           "prefix.\n"
           "- Images (PNG, JPEG, GIF, WebP) are shown to you as images.\n"
           "- Binary files cannot be read; directories cannot be read (use LS or Bash `ls`).\n"
           "- Reading several files at once in parallel calls is fine.\n"
           "- You must Read a file before you Edit or overwrite it.";
  }

  Json input_schema() const override {
    return Json{
        {"type", "object"},
        {"properties",
         {{"file_path",
           {{"type", "string"}, {"description", "The absolute path to the file to read"}}},
          {"offset",
           {{"type", "number"},
            {"description",
             "The line number to start reading from. Only provide if the file is too large to "
             "read at once"}}},
          {"limit",
           {{"type", "number"},
            {"description",
             "The number of lines to read. Only provide if the file is too large to read at "
             "once."}}}}},
        {"required", {"file_path"}},
        {"additionalProperties", false},
        {"$schema", "http://json-schema.org/draft-07/schema#"}};
  }

  bool read_only() const override { return true; }

  PermissionSubject Subject(const Json& input, const ToolContext& ctx) const override {
    std::string path, error;
    GetStringField(input, "file_path", false, &path, &error);
    return {PermissionSubject::Kind::kPath, ResolveToolPath(path, ctx)};
  }

  Result<ToolResult> Run(const Json& input, ToolContext& ctx) override {
    std::string raw, error;
    int64_t offset = 0, limit = 0;
    bool has_limit = input.is_object() && input.contains("limit") && !input["limit"].is_null();
    if (!GetPathField(input, "file_path", true, &raw, &error) ||
        !GetIntField(input, "offset", false, &offset, &error) ||
        !GetIntField(input, "limit", false, &limit, &error)) {
      return ToolResult::Text(error, true);
    }
    if (raw.empty()) return ToolResult::Text("file_path must not be empty.", true);
    if (offset < 0) return ToolResult::Text("offset must be a line number (1 or more).", true);
    if (has_limit && limit <= 0) return ToolResult::Text("limit must be 1 or more.", true);
    if (!has_limit) limit = kReadDefaultLineLimit;
    const std::string path = ResolveToolPath(raw, ctx);
    if (StartsWith(path, "/dev/")) {
      // Devices can be endless (/dev/zero) or block forever (/dev/stdin, a tty).
      return ToolResult::Text("Cannot read device file " + path + ".", true);
    }

    FileInfo info = ctx.env.Stat(path);
    if (!info.exists) {
      return ToolResult::Text("File does not exist: " + path, true);
    }
    if (info.is_directory) {
      return ToolResult::Text(path +
                                  " is a directory, not a file. Use the LS tool (or Bash `ls`) "
                                  "to list a directory.",
                              true);
    }
    const bool image = HasImageExtension(path);
    if (!image && HasBinaryExtension(path)) {
      return ToolResult::Text("Cannot read binary file " + path +
                                  " (its type is not text). Use Bash with a suitable tool to "
                                  "inspect it.",
                              true);
    }
    if (image && info.size > kReadMaxImageBytes) {
      return ToolResult::Text("Image " + path + " is too large to show (" +
                                  std::to_string(info.size) + " bytes; the limit is " +
                                  std::to_string(kReadMaxImageBytes) + ").",
                              true);
    }
    if (info.size > kReadMaxFileBytes) {
      return ToolResult::Text("File " + path + " is too large to read (" +
                                  std::to_string(info.size) +
                                  " bytes). Use Bash (head, tail, sed -n) or Grep to look at parts "
                                  "of it.",
                              true);
    }
    Result<std::string> data = ctx.env.ReadFile(path);
    if (!data.ok()) return ToolResult::Text(data.error().message, true);

    if (image) return ReadImage(path, *data, ctx);
    if (LooksBinary(*data)) {
      return ToolResult::Text("Cannot read binary file " + path +
                                  " (it contains NUL bytes). Use Bash with a suitable tool to "
                                  "inspect it.",
                              true);
    }
    RecordRead(ctx, path);
    return ToolResult::Text(Format(*data, offset, limit));
  }

 private:
  Result<ToolResult> ReadImage(const std::string& path, const std::string& data, ToolContext& ctx) {
    std::string media_type = SniffImageType(data);
    if (media_type.empty()) {
      return ToolResult::Text(path +
                                  " has an image file name but is not a PNG, JPEG, GIF or WebP "
                                  "image.",
                              true);
    }
    RecordRead(ctx, path);
    ToolResult r;
    r.content.push_back(
        Json{{"type", "image"},
             {"source",
              {{"type", "base64"}, {"media_type", media_type}, {"data", Base64Encode(data)}}}});
    return r;
  }

  static std::string Format(std::string_view text, int64_t offset, int64_t limit) {
    if (text.empty()) {
      return Reminder("Warning: the file exists but the contents are empty.");
    }
    std::vector<std::string_view> lines = SplitLines(text);
    const int64_t total = static_cast<int64_t>(lines.size());
    const int64_t first = offset <= 1 ? 1 : offset;  // 1-based; 0 means the start as well
    if (first > total) {
      return Reminder("Warning: the file exists but is shorter than the provided offset (" +
                      std::to_string(first) + "). The file has " + std::to_string(total) +
                      " lines.");
    }
    std::string out;
    int64_t last = std::min(total, first + limit - 1);
    int64_t shown_last = first - 1;
    bool cut_for_size = false;
    for (int64_t n = first; n <= last; ++n) {
      std::string_view line = lines[static_cast<size_t>(n - 1)];
      std::string shown;
      if (line.size() > kReadMaxLineLength) {
        shown = std::string(line.substr(0, kReadMaxLineLength)) + "... [line truncated, " +
                std::to_string(line.size()) + " characters]";
        line = shown;
      }
      std::string numbered = NumberedLine(n, line);
      if (out.size() + numbered.size() > kReadMaxOutputChars && n > first) {
        cut_for_size = true;
        break;
      }
      out += numbered;
      shown_last = n;
    }
    if (shown_last < total) {
      out += Reminder(
          "Showing lines " + std::to_string(first) + "-" + std::to_string(shown_last) + " of " +
          std::to_string(total) + (cut_for_size ? " (output size limit reached)" : "") +
          ". Call Read with offset=" + std::to_string(shown_last + 1) + " to see more.");
    }
    return out;
  }
};

}  // namespace

std::unique_ptr<Tool> MakeReadTool() { return std::make_unique<ReadTool>(); }

}  // namespace brock
