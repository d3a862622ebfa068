#include "agent/edit_apply.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "agent/file_guard.h"
#include "agent/tool_read.h"
#include "base/strings.h"

namespace brock {
namespace {

size_t CountOccurrences(std::string_view haystack, std::string_view needle) {
  size_t n = 0;
  for (size_t pos = haystack.find(needle); pos != std::string_view::npos;
       pos = haystack.find(needle, pos + needle.size())) {
    ++n;
  }
  return n;
}

std::string Preview(std::string_view s) {
  constexpr size_t kMax = 200;
  if (s.size() <= kMax) return std::string(s);
  return std::string(s.substr(0, kMax)) + "...";
}

}  // namespace

EditOutcome ApplyEdits(const std::string& content, bool file_exists,
                       const std::vector<EditSpec>& edits) {
  EditOutcome out;
  if (edits.empty()) {
    out.error = "No edits were given.";
    return out;
  }
  const bool crlf = UsesCrlf(content);
  std::string text = content;
  bool exists = file_exists;
  for (size_t i = 0; i < edits.size(); ++i) {
    const EditSpec& e = edits[i];
    const std::string where = edits.size() > 1 ? "Edit " + std::to_string(i + 1) + ": " : "";
    if (e.old_string == e.new_string) {
      out.error = where + "No changes to make: old_string and new_string are exactly the same.";
      return out;
    }
    if (e.old_string.empty()) {
      if (exists && !text.empty()) {
        out.error = where +
                    "old_string is empty, which only creates a new file, but the file already "
                    "exists and is not empty. Give the text to replace.";
        return out;
      }
      text = e.new_string;
      exists = true;
      ++out.replacements;
      continue;
    }
    if (!exists) {
      out.error = where +
                  "File does not exist. To create it, use an empty old_string (or the "
                  "Write tool).";
      return out;
    }
    std::string old_s = e.old_string, new_s = e.new_string;
    size_t count = 0;
    if (crlf) {
      std::string old_crlf = LfToCrlf(old_s);
      count = CountOccurrences(text, old_crlf);
      if (count > 0) {
        old_s = std::move(old_crlf);
        new_s = LfToCrlf(new_s);
      }
    }
    if (count == 0) count = CountOccurrences(text, old_s);
    if (count == 0) {
      out.error = where + "String to replace not found in file.\nString: " + Preview(e.old_string) +
                  "\nMatch the file's text exactly (whitespace and indentation included); Read "
                  "the file again if unsure.";
      return out;
    }
    if (count > 1 && !e.replace_all) {
      out.error = where + "Found " + std::to_string(count) +
                  " matches of the string to replace, but replace_all is false. To replace all "
                  "occurrences, set replace_all to true. To replace only one occurrence, add more "
                  "surrounding context to old_string so it matches exactly once.\nString: " +
                  Preview(e.old_string);
      return out;
    }
    // Replace.
    std::string next;
    next.reserve(text.size() +
                 (new_s.size() >= old_s.size() ? (new_s.size() - old_s.size()) * count : 0));
    size_t pos = 0;
    for (size_t hit = text.find(old_s); hit != std::string::npos; hit = text.find(old_s, pos)) {
      next.append(text, pos, hit - pos);
      next += new_s;
      pos = hit + old_s.size();
      ++out.replacements;
      if (!e.replace_all) break;
    }
    next.append(text, pos, std::string::npos);
    text = std::move(next);
  }
  // The changed region: between the common prefix and the common suffix of old and new.
  size_t prefix = 0;
  const size_t limit = std::min(content.size(), text.size());
  while (prefix < limit && content[prefix] == text[prefix]) ++prefix;
  size_t suffix = 0;
  while (suffix < limit - prefix &&
         content[content.size() - 1 - suffix] == text[text.size() - 1 - suffix]) {
    ++suffix;
  }
  out.first_change = prefix;
  out.first_change_len = text.size() - prefix - suffix;
  out.ok = true;
  out.content = std::move(text);
  return out;
}

namespace {

// Lines [first_line-4, last_line+4] of `text` in cat -n form.
std::string Snippet(const std::string& text, size_t change, size_t change_len) {
  change = std::min(change, text.size());
  int64_t first_line = 1 + std::count(text.begin(), text.begin() + static_cast<long>(change), '\n');
  size_t change_end = std::min(text.size(), change + change_len);
  int64_t last_line = first_line + std::count(text.begin() + static_cast<long>(change),
                                              text.begin() + static_cast<long>(change_end), '\n');
  std::vector<std::string_view> lines = SplitLines(text);
  const int64_t total = static_cast<int64_t>(lines.size());
  int64_t from = std::max<int64_t>(1, first_line - 4);
  int64_t to = std::min<int64_t>(total, last_line + 4);
  to = std::min<int64_t>(to, from + 60);  // keep it short
  std::string out;
  for (int64_t n = from; n <= to; ++n) {
    std::string_view line = lines[static_cast<size_t>(n - 1)];
    if (line.size() > kReadMaxLineLength) line = line.substr(0, kReadMaxLineLength);
    out += NumberedLine(n, line);
  }
  return out;
}

}  // namespace

ToolResult EditFile(const std::string& path, const std::vector<EditSpec>& edits, ToolContext& ctx) {
  FileInfo info = ctx.env.Stat(path);
  if (info.exists && info.is_directory) {
    return ToolResult::Text(path + " is a directory, not a file.", true);
  }
  std::string content;
  if (info.exists) {
    if (auto refusal = CheckReadBeforeWrite(ctx, path)) return ToolResult::Text(*refusal, true);
    Result<std::string> data = ctx.env.ReadFile(path);
    if (!data.ok()) return ToolResult::Text(data.error().message, true);
    if (LooksBinary(*data)) {
      return ToolResult::Text("Cannot edit binary file " + path + ".", true);
    }
    content = std::move(*data);
  }
  EditOutcome outcome = ApplyEdits(content, info.exists, edits);
  if (!outcome.ok) return ToolResult::Text(outcome.error, true);
  if (Status s = WriteFileKeepingMode(ctx.env, path, outcome.content); !s.ok()) {
    return ToolResult::Text("Could not write " + path + ": " + s.error().message, true);
  }
  RecordRead(ctx, path);
  std::string head;
  if (!info.exists) {
    head = "File created successfully at: " + path + "\n";
  } else {
    head = "The file " + path + " has been updated";
    if (edits.size() > 1) head += " (" + std::to_string(edits.size()) + " edits";
    if (edits.size() > 1)
      head += ", " + std::to_string(outcome.replacements) + " replacements)";
    else if (outcome.replacements > 1)
      head += " (" + std::to_string(outcome.replacements) + " replacements)";
    head += ". Here's the result of running `cat -n` on a snippet of the edited file:\n";
  }
  if (!info.exists) return ToolResult::Text(head);
  return ToolResult::Text(head +
                          Snippet(outcome.content, outcome.first_change, outcome.first_change_len));
}

}  // namespace brock
