// File helpers shared by the file tools (Read, Write, Edit, MultiEdit, LS): resolving the path the
// model gave, remembering which files the model has read (ToolContext::reads), refusing writes to
// files the model has not read or that changed on disk since, and writing atomically while keeping
// the existing file's permission bits.
//
// Path policy: the model should pass absolute paths (the schemas say so), but a relative path is
// not an error: it is resolved against ToolContext::cwd (the directory Bash's `cd` moves), and a
// leading "~/" is expanded to the home directory. Paths are then normalised lexically ("//", ".",
// ".." removed), so permission rules always see one spelling of a file.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "agent/tool.h"

namespace brock {

// "/a//b/./c/../d" -> "/a/b/d". `path` must be absolute; ".." never climbs above "/".
std::string NormalizeAbsolutePath(std::string_view path);

// The absolute, normalised form of a path from tool input: "~/x" -> home, relative -> against
// ctx.cwd (or env.CurrentDir() when ctx.cwd is empty). Empty `path` gives "".
std::string ResolveToolPath(std::string_view path, const ToolContext& ctx);

// Records that the model has now seen the current content of `path` (its mtime and size as they
// are on disk now). No-op when ctx.reads is null.
void RecordRead(ToolContext& ctx, const std::string& path);

// Why a tool may not overwrite the existing file `path`, or nullopt when it may: the model must
// have read the file (RecordRead) and the file must be unchanged (same mtime and size) since.
// The returned text is for the model and says to Read the file again. Always nullopt when
// ctx.reads is null (no tracking).
std::optional<std::string> CheckReadBeforeWrite(const ToolContext& ctx, const std::string& path);

// Writes `data` to `path` atomically (temporary file + rename, via Env::WriteFileAtomic),
// creating missing parent directories with mode 0755. An existing file keeps its permission
// bits; a new file gets 0644.
Status WriteFileKeepingMode(Env& env, const std::string& path, std::string_view data);

// True when `data` (the start of a file) looks binary: it contains a NUL byte in its first 8 KiB.
bool LooksBinary(std::string_view data);

// True when the file name's extension is one of the well-known binary formats (archives,
// executables, media, fonts, databases...). Images that Read can show are not included.
bool HasBinaryExtension(std::string_view path);

// True when the text uses CRLF line endings (more "\r\n" than bare "\n").
bool UsesCrlf(std::string_view text);

// Every bare "\n" becomes "\r\n"; existing "\r\n" are left alone.
std::string LfToCrlf(std::string_view text);

}  // namespace brock
