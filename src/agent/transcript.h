// Session transcripts: every conversation is an append-only JSONL file that `--continue` and
// `--resume` read back. The format is documented in docs/transcripts.md.
//
// Files live in brock's own directory, never in Claude Code's (~/.claude/projects belongs to
// Claude Code; brock writes nothing there):
//   $BROCK_HOME/sessions/<sanitised cwd>/<session id>.jsonl   (BROCK_HOME defaults to ~/.brock)
// Directories are created 0700 and files 0600. Each line is written with one Env::AppendFile
// call and ends with '\n', so a killed process loses at most the line in flight, and a reader
// that meets a half-written last line ignores it. Every line passes through ScrubSecrets.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/env.h"
#include "base/error.h"
#include "base/json.h"

namespace brock {

inline constexpr int kTranscriptVersion = 1;

// $BROCK_HOME/sessions, or ~/.brock/sessions.
std::string SessionsRoot(const Env& env);
// The folder of one working directory's sessions: SessionsRoot/<SanitizeCwd(cwd)>.
std::string ProjectSessionsDir(const Env& env, std::string_view cwd);
// Every character other than [A-Za-z0-9] becomes '-' ("/home/me/p" -> "-home-me-p"); names over
// 200 characters are cut and end with a hash of the whole path, so they stay unique.
std::string SanitizeCwd(std::string_view cwd);

class TranscriptWriter {
 public:
  // Starts a new session: a fresh UUID v4 id, the folder for `cwd` (0700) and a file (0600)
  // whose first line is the session header. `session_id`, when not empty, is used instead of a
  // fresh id (--session-id; the caller checks it is a UUID not in use). Errors:
  // "transcript.write" naming the path.
  static Result<TranscriptWriter> Create(Env& env, const std::string& cwd, const std::string& model,
                                         const std::string& session_id = "");
  // Continues an existing session file (for --resume / --continue): new lines are appended to it
  // and the next message's parent is the file's last message. Errors as LoadTranscript.
  static Result<TranscriptWriter> Resume(Env& env, const std::string& path);

  // Appends one message line ({role, content}) and returns its uuid; its parent is the previous
  // message appended through this writer (or loaded by Resume).
  Result<std::string> Append(const Json& message);
  // Appends a non-message line {"type": type, "timestamp": ..., ...fields} (fields must be an
  // object or null), e.g. AppendEvent("usage", {...}), AppendEvent("compaction", {"summary":..}).
  Status AppendEvent(std::string_view type, const Json& fields);

  const std::string& session_id() const { return session_id_; }
  const std::string& path() const { return path_; }

 private:
  TranscriptWriter(Env& env, std::string path, std::string session_id)
      : env_(&env), path_(std::move(path)), session_id_(std::move(session_id)) {}
  Status WriteLine(const Json& line);

  Env* env_;
  std::string path_;
  std::string session_id_;
  std::string last_uuid_;
};

// A transcript as read back.
struct Transcript {
  std::string path;
  std::string session_id;  // from the header ("" when the header line is missing)
  std::string cwd;
  std::string model;
  std::string created_at;
  // The conversation, oldest first: each {role, content}. A "compaction" line replaces the
  // messages before it with one user message holding its summary.
  std::vector<Json> messages;
  std::vector<Json> events;  // every other line except the header, as written
  std::string last_uuid;     // uuid of the last message line
  // One line per problem met: a half-written last line (ignored), a corrupt line (skipped, with
  // its line number), a newer format version.
  std::vector<std::string> warnings;
};

// Reads a transcript. Never fails on content (bad lines become warnings); errors only when the
// file cannot be read ("transcript.unreadable"; "transcript.not_found" when missing).
Result<Transcript> LoadTranscript(const Env& env, const std::string& path);

// The most recently modified session file of `cwd` (for --continue); ties go to the later
// created_at. Error "session.none" when that folder has no sessions.
Result<std::string> FindLatestSession(const Env& env, std::string_view cwd);

// The session file for `id` (for --resume): an exact session id or a unique prefix of one, in
// any working directory's folder; a path to a .jsonl file is accepted as is. Errors:
// "session.not_found", "session.ambiguous" (listing the candidates).
Result<std::string> FindSession(const Env& env, std::string_view id);

// Session files of `cwd`, newest first.
std::vector<std::string> ListSessions(const Env& env, std::string_view cwd);

// Makes loaded messages valid for the Messages API again and returns one note per repair:
//   - drops lines that are not {role: user|assistant, content} and messages with no content;
//   - drops leading assistant messages (the conversation must start with the user);
//   - merges consecutive messages of the same role;
//   - drops tool_use blocks without an id or object input, and tool_result blocks that answer no
//     tool_use of the assistant message just before them;
//   - answers every tool_use left without a tool_result (a session killed mid-turn) with
//     {"type":"tool_result","tool_use_id":..,"is_error":true,"content":"interrupted"}, in the
//     following user message (results first) or in a new one.
// The result may end with a user message: append the next prompt and call it again, and the two
// user messages are merged.
std::vector<std::string> RepairConversation(std::vector<Json>& messages);

}  // namespace brock
