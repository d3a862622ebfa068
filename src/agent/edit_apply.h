// The string-replacement core shared by Edit and MultiEdit, and the write-back they share.
//
// Line endings: the model sees files with "\n" line ends (Read strips the "\r" of "\r\n"), so
// when a file uses CRLF the model's old_string/new_string are converted to CRLF before matching
// and replacing; lines the edit does not touch keep their bytes exactly.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "agent/tool.h"

namespace brock {

struct EditSpec {
  std::string old_string;
  std::string new_string;
  bool replace_all = false;
};

struct EditOutcome {
  bool ok = false;
  std::string error;            // for the model, when !ok
  std::string content;          // the new file content, when ok
  size_t first_change = 0;      // byte offset in `content` where the changed region starts
  size_t first_change_len = 0;  // its length in `content`
  int replacements = 0;         // total replacements made
};

// Applies `edits` in order to `content` (each edit sees the result of the previous one); all or
// nothing. `file_exists` false means the file is missing: only an empty old_string is then
// allowed (it creates the file with new_string). Rules: old_string must differ from new_string;
// old_string must occur exactly once unless replace_all; an empty old_string is only allowed on a
// missing or empty file.
EditOutcome ApplyEdits(const std::string& content, bool file_exists,
                       const std::vector<EditSpec>& edits);

// Runs a complete Edit/MultiEdit call on `path` (already resolved): checks the file was read
// and is unchanged, applies `edits`, writes atomically keeping mode and line endings, records the
// write in ctx.reads and returns a result showing a numbered snippet around the first change.
ToolResult EditFile(const std::string& path, const std::vector<EditSpec>& edits, ToolContext& ctx);

}  // namespace brock
