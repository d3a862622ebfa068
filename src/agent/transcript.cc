#include "agent/transcript.h"

#include <algorithm>
#include <cctype>
#include <ctime>
#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "base/crypto.h"
#include "base/error_codes.h"
#include "base/json.h"
#include "base/secrets.h"
#include "base/strings.h"
#include "base/uuid.h"
#include "model/conversation.h"

namespace brock {
namespace {

constexpr size_t kMaxDirName = 200;

std::string Timestamp(Clock::time_point t) {
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(t.time_since_epoch()).count();
  std::time_t secs = static_cast<std::time_t>(ms / 1000);
  std::tm tm{};
  gmtime_r(&secs, &tm);
  char buf[80];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec,
                static_cast<int>(ms % 1000));
  return buf;
}

Error WriteError(const std::string& path, const Error& cause) {
  Error e = MakeError("transcript.write",
                      "cannot write the session transcript " + path + ": " + cause.message,
                      "check that " + DirName(path) +
                          " is writable (set BROCK_HOME to move brock's files elsewhere)");
  return e;
}

bool IsSessionFile(const std::string& name) { return EndsWith(name, ".jsonl"); }

std::string Stem(const std::string& name) { return name.substr(0, name.size() - 6); }

std::string HeaderCreatedAt(const Env& env, const std::string& path) {
  Result<std::string> text = env.ReadFile(path);
  if (!text.ok()) return "";
  std::string_view first = *text;
  first = first.substr(0, first.find('\n'));
  Json j = ParseJsonOrDiscarded(first);
  if (j.is_object() && j.value("type", "") == "session") return j.value("created_at", "");
  return "";
}

// Content as an array of blocks. Arrays are kept as they are (repair checks each block); string
// content goes through the one string-to-blocks conversion (model/conversation.h), and an empty
// string is no content at all.
Json ContentBlocks(const Json& content) {
  if (content.is_array()) return content;
  Json out = Json::array();
  for (const ContentBlock& b : ContentFromJson(content)) {
    if (b.type == BlockType::kText && b.text.empty()) continue;
    out.push_back(BlockToJson(b));
  }
  return out;
}

}  // namespace

std::string SessionsRoot(const Env& env) {
  if (auto h = env.GetNonEmpty("BROCK_HOME")) return JoinPath(*h, "sessions");
  return JoinPath(env.HomeDir(), ".brock/sessions");
}

std::string SanitizeCwd(std::string_view cwd) {
  std::string out(cwd);
  for (char& c : out) {
    if (!std::isalnum(static_cast<unsigned char>(c))) c = '-';
  }
  if (out.size() > kMaxDirName) {
    out = out.substr(0, kMaxDirName - 13) + "-" + Sha256Hex(cwd).substr(0, 12);
  }
  return out;
}

std::string ProjectSessionsDir(const Env& env, std::string_view cwd) {
  return JoinPath(SessionsRoot(env), SanitizeCwd(cwd));
}

// --- writer ---

Result<TranscriptWriter> TranscriptWriter::Create(Env& env, const std::string& cwd,
                                                  const std::string& model,
                                                  const std::string& session_id) {
  std::string dir = ProjectSessionsDir(env, cwd);
  std::string id = session_id.empty() ? NewUuid() : session_id;
  std::string path = JoinPath(dir, id + ".jsonl");
  if (Status s = env.MakeDirs(dir, 0700); !s.ok()) return WriteError(path, s.error());
  TranscriptWriter w(env, path, id);
  Json header = {{"type", "session"}, {"version", kTranscriptVersion},
                 {"session_id", id},  {"cwd", cwd},
                 {"model", model},    {"created_at", Timestamp(env.Now())}};
  if (Status s = w.WriteLine(header); !s.ok()) return s.error();
  return w;
}

Result<TranscriptWriter> TranscriptWriter::Resume(Env& env, const std::string& path) {
  Result<Transcript> t = LoadTranscript(env, path);
  if (!t.ok()) return t.error();
  std::string id = t->session_id;
  if (id.empty()) {
    std::string name = path.substr(path.rfind('/') + 1);
    id = IsSessionFile(name) ? Stem(name) : name;
  }
  TranscriptWriter w(env, path, id);
  w.last_uuid_ = t->last_uuid;
  return w;
}

Status TranscriptWriter::WriteLine(const Json& line) {
  std::string text =
      ScrubSecrets(line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
  text += '\n';
  if (Status s = env_->AppendFile(path_, text, 0600); !s.ok()) return WriteError(path_, s.error());
  return {};
}

Result<std::string> TranscriptWriter::Append(const Json& message) {
  std::string uuid = NewUuid();
  Json line = {{"type", "message"}, {"uuid", uuid}};
  if (!last_uuid_.empty()) line["parent_uuid"] = last_uuid_;
  line["session_id"] = session_id_;
  line["timestamp"] = Timestamp(env_->Now());
  line["message"] = message;
  if (Status s = WriteLine(line); !s.ok()) return s.error();
  last_uuid_ = uuid;
  return uuid;
}

Status TranscriptWriter::AppendEvent(std::string_view type, const Json& fields) {
  Json line = {{"type", std::string(type)}};
  line["session_id"] = session_id_;
  line["timestamp"] = Timestamp(env_->Now());
  if (fields.is_object()) {
    for (auto it = fields.begin(); it != fields.end(); ++it) {
      if (it.key() != "type") line[it.key()] = it.value();
    }
  }
  return WriteLine(line);
}

// --- reader ---

Result<Transcript> LoadTranscript(const Env& env, const std::string& path) {
  Result<std::string> text = env.ReadFile(path);
  if (!text.ok()) {
    bool missing = errc::Is(text.error(), errc::kIoNotFound);
    return MakeError(missing ? "transcript.not_found" : "transcript.unreadable",
                     "cannot read the session transcript " + path + ": " + text.error().message,
                     missing ? "list sessions with --resume and pick one that exists"
                             : "check the file's permissions");
  }
  Transcript t;
  t.path = path;
  const std::string& s = *text;
  size_t pos = 0;
  int line_no = 0;
  while (pos < s.size()) {
    size_t nl = s.find('\n', pos);
    bool complete = nl != std::string::npos;
    std::string_view line(s.data() + pos, (complete ? nl : s.size()) - pos);
    pos = complete ? nl + 1 : s.size();
    ++line_no;
    if (Trim(line).empty()) continue;
    Json j = ParseJsonOrDiscarded(line);
    if (j.is_discarded() || !j.is_object()) {
      if (!complete) {
        t.warnings.push_back(path + ":" + std::to_string(line_no) +
                             ": ignored a half-written last line (the session was interrupted "
                             "while writing it)");
      } else {
        t.warnings.push_back(path + ":" + std::to_string(line_no) + ": skipped a corrupt line");
      }
      continue;
    }
    std::string type = j.value("type", "");
    if (type == "session") {
      t.session_id = j.value("session_id", "");
      t.cwd = j.value("cwd", "");
      t.model = j.value("model", "");
      t.created_at = j.value("created_at", "");
      if (j.value("version", 0) > kTranscriptVersion) {
        t.warnings.push_back(path + ": written by a newer brock (format version " +
                             std::to_string(j.value("version", 0)) +
                             "); lines it does not know are skipped");
      }
      continue;
    }
    if (type == "message") {
      auto m = j.find("message");
      if (m == j.end() || !m->is_object()) {
        t.warnings.push_back(path + ":" + std::to_string(line_no) +
                             ": skipped a message line without a message");
        continue;
      }
      t.messages.push_back(*m);
      if (j.contains("uuid") && j["uuid"].is_string()) t.last_uuid = j["uuid"];
      continue;
    }
    if (type == "compaction") {
      t.messages.clear();
      std::string summary = j.value("summary", "");
      if (!summary.empty()) {
        t.messages.push_back(
            {{"role", "user"}, {"content", Json::array({{{"type", "text"}, {"text", summary}}})}});
      }
    }
    t.events.push_back(std::move(j));
  }
  return t;
}

std::vector<std::string> ListSessions(const Env& env, std::string_view cwd) {
  std::string dir = ProjectSessionsDir(env, cwd);
  struct Entry {
    std::string path;
    Clock::time_point modified;
    std::string created;
  };
  std::vector<Entry> entries;
  for (const std::string& name : env.ListDir(dir)) {
    if (!IsSessionFile(name)) continue;
    std::string p = JoinPath(dir, name);
    FileInfo info = env.Stat(p);
    if (!info.exists || info.is_directory) continue;
    entries.push_back({p, info.modified, ""});
  }
  // Ties on modification time (coarse clocks, copies) go to the later created_at.
  std::map<Clock::time_point, int> counts;
  for (const auto& e : entries) ++counts[e.modified];
  for (auto& e : entries) {
    if (counts[e.modified] > 1) e.created = HeaderCreatedAt(env, e.path);
  }
  std::sort(entries.begin(), entries.end(), [](const Entry& a, const Entry& b) {
    if (a.modified != b.modified) return a.modified > b.modified;
    if (a.created != b.created) return a.created > b.created;
    return a.path > b.path;
  });
  std::vector<std::string> out;
  for (auto& e : entries) out.push_back(std::move(e.path));
  return out;
}

Result<std::string> FindLatestSession(const Env& env, std::string_view cwd) {
  std::vector<std::string> all = ListSessions(env, cwd);
  if (all.empty()) {
    return MakeError("session.none",
                     "no earlier session to continue in " + std::string(cwd) + " (looked in " +
                         ProjectSessionsDir(env, cwd) + ")",
                     "start a new session without --continue");
  }
  return all.front();
}

Result<std::string> FindSession(const Env& env, std::string_view id_in) {
  std::string id(Trim(id_in));
  if (id.empty()) {
    return MakeError("session.not_found", "--resume needs a session id",
                     "pass the id printed at the end of a session, or a prefix of it");
  }
  if (id.find('/') != std::string::npos) {
    FileInfo info = env.Stat(id);
    if (info.exists && !info.is_directory) return id;
    return MakeError("session.not_found", "no session file " + id,
                     "check the path, or pass a session id");
  }
  std::string root = SessionsRoot(env);
  std::vector<std::string> matches;
  for (const std::string& project : env.ListDir(root)) {
    std::string dir = JoinPath(root, project);
    for (const std::string& name : env.ListDir(dir)) {
      if (!IsSessionFile(name)) continue;
      std::string stem = Stem(name);
      if (stem == id) return JoinPath(dir, name);
      if (StartsWith(stem, id)) matches.push_back(JoinPath(dir, name));
    }
  }
  if (matches.size() == 1) return matches[0];
  if (matches.empty()) {
    return MakeError("session.not_found", "no session with id " + id + " in " + root,
                     "check the id; sessions started in another BROCK_HOME are not visible");
  }
  std::string list;
  for (size_t i = 0; i < matches.size() && i < 5; ++i) list += "\n  " + matches[i];
  return MakeError("session.ambiguous",
                   "session id prefix " + id + " matches " + std::to_string(matches.size()) +
                       " sessions:" + list,
                   "give more characters of the id");
}

// --- repair ---

std::vector<std::string> RepairConversation(std::vector<Json>& messages) {
  std::vector<std::string> notes;
  // 1. Shape, empties and tool_use validity.
  std::vector<Json> clean;
  for (Json& m : messages) {
    if (!m.is_object() || !m.contains("role") || !m["role"].is_string() ||
        (m["role"] != "user" && m["role"] != "assistant")) {
      notes.push_back("dropped a line that is not a user or assistant message");
      continue;
    }
    Json blocks = ContentBlocks(m.value("content", Json()));
    Json kept = Json::array();
    for (Json& b : blocks) {
      if (!b.is_object()) continue;
      if (b.value("type", "") == "tool_use" && (!b.contains("id") || !b["id"].is_string() ||
                                                !b.contains("input") || !b["input"].is_object())) {
        notes.push_back("dropped an incomplete tool_use block");
        continue;
      }
      kept.push_back(std::move(b));
    }
    if (kept.empty()) {
      notes.push_back("dropped an empty " + m["role"].get<std::string>() + " message");
      continue;
    }
    m["content"] = std::move(kept);
    clean.push_back(std::move(m));
  }
  // 2. Leading assistant messages.
  size_t first_user = 0;
  while (first_user < clean.size() && clean[first_user]["role"] == "assistant") ++first_user;
  if (first_user > 0) {
    notes.push_back("dropped " + std::to_string(first_user) +
                    " assistant message(s) before the first user message");
    clean.erase(clean.begin(), clean.begin() + static_cast<std::ptrdiff_t>(first_user));
  }
  // 3. Merge consecutive same-role messages.
  std::vector<Json> merged;
  for (Json& m : clean) {
    if (!merged.empty() && merged.back()["role"] == m["role"]) {
      for (Json& b : m["content"]) merged.back()["content"].push_back(std::move(b));
      notes.push_back("merged two consecutive " + m["role"].get<std::string>() + " messages");
      continue;
    }
    merged.push_back(std::move(m));
  }
  // 4. Pair tool_use with tool_result.
  std::vector<Json> out;
  for (size_t i = 0; i < merged.size(); ++i) {
    Json& m = merged[i];
    if (m["role"] == "user") {
      // Keep only results that answer the assistant message just before.
      std::set<std::string> open;
      if (!out.empty() && out.back()["role"] == "assistant") {
        for (const Json& b : out.back()["content"]) {
          if (b.value("type", "") == "tool_use") open.insert(b["id"].get<std::string>());
        }
      }
      Json results = Json::array(), others = Json::array();
      for (Json& b : m["content"]) {
        if (b.value("type", "") == "tool_result") {
          std::string id = b.value("tool_use_id", "");
          if (!open.count(id)) {
            notes.push_back("dropped a tool_result for unknown tool_use " + id);
            continue;
          }
          open.erase(id);
          results.push_back(std::move(b));
        } else {
          others.push_back(std::move(b));
        }
      }
      for (const std::string& id : open) {
        results.push_back({{"type", "tool_result"},
                           {"tool_use_id", id},
                           {"is_error", true},
                           {"content", "interrupted"}});
        notes.push_back("answered tool_use " + id + " with an interrupted tool_result");
      }
      for (Json& b : others) results.push_back(std::move(b));
      if (results.empty()) continue;
      m["content"] = std::move(results);
      out.push_back(std::move(m));
      continue;
    }
    // Assistant: if the next message is not a user message, answer its tool_use now.
    out.push_back(std::move(m));
    bool next_is_user = i + 1 < merged.size() && merged[i + 1]["role"] == "user";
    if (next_is_user) continue;
    Json results = Json::array();
    for (const Json& b : out.back()["content"]) {
      if (b.value("type", "") != "tool_use") continue;
      std::string id = b["id"];
      results.push_back({{"type", "tool_result"},
                         {"tool_use_id", id},
                         {"is_error", true},
                         {"content", "interrupted"}});
      notes.push_back("answered tool_use " + id + " with an interrupted tool_result");
    }
    if (!results.empty()) out.push_back({{"role", "user"}, {"content", std::move(results)}});
  }
  // Dropping a user message can leave two assistant messages side by side: repair again.
  bool again = false;
  for (size_t i = 1; i < out.size(); ++i) again = again || out[i]["role"] == out[i - 1]["role"];
  messages = std::move(out);
  if (again) {
    for (std::string& n : RepairConversation(messages)) notes.push_back(std::move(n));
  }
  return notes;
}

}  // namespace brock
