#include "mcp/mcp_config.h"

#include <algorithm>
#include <nlohmann/json.hpp>
#include <set>

#include "base/error_codes.h"
#include "base/strings.h"
#include "settings/settings_locate.h"

namespace brock {

namespace {

Error ConfigError(const std::string& origin, const std::string& name, const std::string& what) {
  return MakeError(errc::kMcpConfig, origin + ": MCP server '" + name + "': " + what,
                   "fix the definition in " + origin +
                       " (docs/mcp.md shows the format; `brock mcp add-json` checks one)");
}

Result<std::vector<std::string>> StringArray(const Json& v, const std::string& origin,
                                             const std::string& name, const char* key) {
  std::vector<std::string> out;
  if (!v.is_array())
    return ConfigError(origin, name, std::string("\"") + key + "\" must be an array of strings");
  for (const Json& item : v) {
    if (!item.is_string()) {
      return ConfigError(origin, name, std::string("\"") + key + "\" must be an array of strings");
    }
    out.push_back(item.get<std::string>());
  }
  return out;
}

Result<std::vector<std::pair<std::string, std::string>>> StringMap(const Json& v,
                                                                   const std::string& origin,
                                                                   const std::string& name,
                                                                   const char* key) {
  std::vector<std::pair<std::string, std::string>> out;
  if (!v.is_object()) {
    return ConfigError(origin, name, std::string("\"") + key + "\" must be an object of strings");
  }
  for (auto it = v.begin(); it != v.end(); ++it) {
    if (!it.value().is_string()) {
      return ConfigError(origin, name,
                         std::string("\"") + key + "." + it.key() + "\" must be a string");
    }
    out.emplace_back(it.key(), it.value().get<std::string>());
  }
  return out;
}

// The JSON of a file, or nullopt (with a warning) when it is unreadable or malformed; missing
// files are nullopt without a warning.
std::optional<Json> ReadJsonFile(const Env& env, const std::string& path,
                                 std::vector<std::string>* warnings) {
  auto text = env.ReadFile(path);
  if (!text.ok()) {
    if (!errc::Is(text.error(), errc::kIoNotFound) && warnings) {
      warnings->push_back("MCP servers in " + path + " skipped: " + text.error().message);
    }
    return std::nullopt;
  }
  auto parsed = ParseJson(*text, path);
  if (!parsed.ok()) {
    if (warnings) {
      warnings->push_back("MCP servers in " + path + " skipped: " + parsed.error().message);
    }
    return std::nullopt;
  }
  return std::move(parsed).value();
}

// The servers of an "mcpServers" object; bad definitions become warnings.
void CollectServers(const Json& servers, McpScope scope, const std::string& origin,
                    std::vector<McpServerConfig>* out, std::vector<std::string>* warnings) {
  if (!servers.is_object()) {
    if (warnings && !servers.is_null()) {
      warnings->push_back(origin + ": \"mcpServers\" is not an object; ignored");
    }
    return;
  }
  for (auto it = servers.begin(); it != servers.end(); ++it) {
    auto parsed = ParseMcpServer(it.key(), it.value(), scope, origin);
    if (!parsed.ok()) {
      if (warnings) warnings->push_back(parsed.error().message);
      continue;
    }
    out->push_back(std::move(parsed).value());
  }
}

// The project's entry in ~/.claude.json, or null.
Json ProjectEntry(const Json& claude_json, const std::string& cwd) {
  if (!claude_json.is_object() || !claude_json.contains("projects") ||
      !claude_json["projects"].is_object() || !claude_json["projects"].contains(cwd)) {
    return nullptr;
  }
  return claude_json["projects"][cwd];
}

bool ListContains(const Json& object, const char* key, const std::string& name) {
  if (!object.is_object() || !object.contains(key) || !object[key].is_array()) return false;
  for (const Json& v : object[key]) {
    if (v.is_string() && v.get<std::string>() == name) return true;
  }
  return false;
}

bool Flag(const Json& object, const char* key) {
  return object.is_object() && object.contains(key) && object[key].is_boolean() &&
         object[key].get<bool>();
}

bool ValidVarName(std::string_view name) {
  if (name.empty() || std::isdigit(static_cast<unsigned char>(name[0]))) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_';
  });
}

}  // namespace

const char* McpTransportName(McpTransportKind kind) {
  switch (kind) {
    case McpTransportKind::kStdio:
      return "stdio";
    case McpTransportKind::kHttp:
      return "http";
    case McpTransportKind::kSse:
      return "sse";
  }
  return "stdio";
}

const char* McpScopeName(McpScope scope) {
  switch (scope) {
    case McpScope::kDynamic:
      return "dynamic";
    case McpScope::kLocal:
      return "local";
    case McpScope::kProject:
      return "project";
    case McpScope::kUser:
      return "user";
  }
  return "user";
}

std::string McpScopeDescription(McpScope scope) {
  switch (scope) {
    case McpScope::kDynamic:
      return "Dynamic config (from --mcp-config)";
    case McpScope::kLocal:
      return "Local config (private to you in this project)";
    case McpScope::kProject:
      return "Project config (shared via .mcp.json)";
    case McpScope::kUser:
      return "User config (available in all your projects)";
  }
  return {};
}

Result<McpServerConfig> ParseMcpServer(const std::string& name, const Json& definition,
                                       McpScope scope, const std::string& origin) {
  if (name.empty()) return ConfigError(origin, name, "the server needs a name");
  if (!definition.is_object()) return ConfigError(origin, name, "the definition is not an object");
  McpServerConfig s;
  s.name = name;
  s.scope = scope;
  s.origin = origin;
  s.definition = definition;
  std::string type = "stdio";
  if (definition.contains("type")) {
    if (!definition["type"].is_string())
      return ConfigError(origin, name, "\"type\" must be a string");
    type = definition["type"].get<std::string>();
  } else if (definition.contains("url") && !definition.contains("command")) {
    // Claude Code needs "type" for remote servers; brock names the omission.
    return ConfigError(origin, name,
                       "a server with \"url\" needs \"type\": \"http\" (Streamable HTTP) or "
                       "\"sse\"");
  }
  if (type == "stdio") {
    s.transport = McpTransportKind::kStdio;
    if (!definition.contains("command") || !definition["command"].is_string() ||
        definition["command"].get<std::string>().empty()) {
      return ConfigError(origin, name, "a stdio server needs \"command\" (a string)");
    }
    s.command = definition["command"].get<std::string>();
    if (definition.contains("args")) {
      auto args = StringArray(definition["args"], origin, name, "args");
      if (!args.ok()) return std::move(args).error();
      s.args = std::move(args).value();
    }
    if (definition.contains("env")) {
      auto env = StringMap(definition["env"], origin, name, "env");
      if (!env.ok()) return std::move(env).error();
      s.env = std::move(env).value();
    }
    return s;
  }
  if (type == "http" || type == "streamable-http" || type == "sse") {
    s.transport = type == "sse" ? McpTransportKind::kSse : McpTransportKind::kHttp;
    if (!definition.contains("url") || !definition["url"].is_string() ||
        definition["url"].get<std::string>().empty()) {
      return ConfigError(origin, name, "a " + type + " server needs \"url\" (a string)");
    }
    s.url = definition["url"].get<std::string>();
    if (definition.contains("headers")) {
      auto headers = StringMap(definition["headers"], origin, name, "headers");
      if (!headers.ok()) return std::move(headers).error();
      s.headers = std::move(headers).value();
    }
    if (definition.contains("oauth")) {
      const Json& o = definition["oauth"];
      if (!o.is_object()) return ConfigError(origin, name, "\"oauth\" must be an object");
      for (const char* key : {"clientId", "clientSecret", "scopes", "authServerMetadataUrl"}) {
        if (o.contains(key) && !o[key].is_string()) {
          return ConfigError(origin, name, std::string("\"oauth.") + key + "\" must be a string");
        }
      }
      s.oauth.client_id = o.value("clientId", "");
      s.oauth.client_secret = o.value("clientSecret", "");
      s.oauth.scopes = o.value("scopes", "");
      s.oauth.auth_server_metadata_url = o.value("authServerMetadataUrl", "");
      if (!s.oauth.auth_server_metadata_url.empty() &&
          !StartsWith(s.oauth.auth_server_metadata_url, "https://")) {
        return ConfigError(origin, name,
                           "\"oauth.authServerMetadataUrl\" must start with https://");
      }
      if (o.contains("callbackPort")) {
        const Json& p = o["callbackPort"];
        if (!p.is_number_integer() || p.get<int64_t>() < 1 || p.get<int64_t>() > 65535) {
          return ConfigError(origin, name,
                             "\"oauth.callbackPort\" must be a port number (1-65535)");
        }
        s.oauth.callback_port = static_cast<int>(p.get<int64_t>());
      }
    }
    return s;
  }
  return ConfigError(origin, name,
                     "unknown \"type\" \"" + type + "\" (use \"stdio\", \"http\" or \"sse\")");
}

std::string ExpandMcpVars(std::string_view text, const Env& env,
                          std::vector<std::string>* missing) {
  std::string out;
  size_t i = 0;
  while (i < text.size()) {
    if (text[i] == '$' && i + 1 < text.size() && text[i + 1] == '{') {
      size_t close = text.find('}', i + 2);
      if (close != std::string_view::npos) {
        std::string_view inner = text.substr(i + 2, close - i - 2);
        std::string_view name = inner;
        std::optional<std::string_view> fallback;
        if (size_t d = inner.find(":-"); d != std::string_view::npos) {
          name = inner.substr(0, d);
          fallback = inner.substr(d + 2);
        }
        if (ValidVarName(name)) {
          auto value = env.GetVar(name);
          if (value && !(fallback && value->empty())) {
            out += *value;
          } else if (fallback) {
            out += *fallback;
          } else {
            if (missing) missing->emplace_back(name);
            out.append(text.substr(i, close - i + 1));
          }
          i = close + 1;
          continue;
        }
      }
    }
    out.push_back(text[i++]);
  }
  return out;
}

Result<McpServerConfig> ExpandMcpServer(const McpServerConfig& server, const Env& env) {
  McpServerConfig s = server;
  std::vector<std::string> missing;
  s.command = ExpandMcpVars(s.command, env, &missing);
  for (auto& a : s.args) a = ExpandMcpVars(a, env, &missing);
  for (auto& [k, v] : s.env) v = ExpandMcpVars(v, env, &missing);
  s.url = ExpandMcpVars(s.url, env, &missing);
  for (auto& [k, v] : s.headers) v = ExpandMcpVars(v, env, &missing);
  if (!missing.empty()) {
    std::sort(missing.begin(), missing.end());
    missing.erase(std::unique(missing.begin(), missing.end()), missing.end());
    return MakeError(errc::kMcpConfig,
                     "MCP server '" + server.name + "' (" + server.origin +
                         ") uses unset environment variable" + (missing.size() > 1 ? "s " : " ") +
                         Join(missing, ", "),
                     "set " + Join(missing, ", ") +
                         " in your shell or a settings file's env block, or give a default with "
                         "${VAR:-default}");
  }
  return s;
}

std::string ClaudeJsonPath(const Env& env) {
  if (auto dir = env.GetNonEmpty("CLAUDE_CONFIG_DIR")) {
    return JoinPath(ExpandHome(env, *dir), ".claude.json");
  }
  return JoinPath(env.HomeDir(), ".claude.json");
}

std::string FindProjectMcpJson(const Env& env, const std::string& cwd) {
  ProjectLocation where = FindProject(env, cwd);
  std::string dir = cwd;
  for (;;) {
    std::string candidate = JoinPath(dir, ".mcp.json");
    if (env.Stat(candidate).exists) return candidate;
    if (where.git_root.empty() || dir == where.git_root || dir == "/" || dir.empty()) break;
    std::string parent = DirName(dir);
    if (parent == dir) break;
    dir = parent;
  }
  return {};
}

Result<std::vector<McpServerConfig>> ParseMcpServersJson(std::string_view text, McpScope scope,
                                                         const std::string& origin) {
  auto parsed = ParseJson(text, origin);
  if (!parsed.ok()) {
    Error e = std::move(parsed).error();
    e.code = errc::kMcpConfig;
    return e;
  }
  if (!parsed->is_object() || !(*parsed).contains("mcpServers") ||
      !(*parsed)["mcpServers"].is_object()) {
    return MakeError(errc::kMcpConfig, origin + ": no \"mcpServers\" object",
                     "write {\"mcpServers\": {\"name\": {\"command\": \"...\"}}}");
  }
  std::vector<McpServerConfig> out;
  const Json& servers = (*parsed)["mcpServers"];
  for (auto it = servers.begin(); it != servers.end(); ++it) {
    auto s = ParseMcpServer(it.key(), it.value(), scope, origin);
    if (!s.ok()) return std::move(s).error();
    out.push_back(std::move(s).value());
  }
  return out;
}

std::vector<McpServerConfig> AllConfiguredMcpServers(const Env& env, const std::string& cwd,
                                                     std::vector<std::string>* warnings) {
  std::vector<McpServerConfig> out;
  std::string claude_json_path = ClaudeJsonPath(env);
  std::optional<Json> claude_json = ReadJsonFile(env, claude_json_path, warnings);
  if (claude_json) {
    Json entry = ProjectEntry(*claude_json, cwd);
    if (entry.is_object() && entry.contains("mcpServers")) {
      CollectServers(entry["mcpServers"], McpScope::kLocal, claude_json_path, &out, warnings);
    }
  }
  if (std::string mcp_json = FindProjectMcpJson(env, cwd); !mcp_json.empty()) {
    if (auto file = ReadJsonFile(env, mcp_json, warnings)) {
      if (file->is_object() && file->contains("mcpServers")) {
        CollectServers((*file)["mcpServers"], McpScope::kProject, mcp_json, &out, warnings);
      }
    }
  }
  if (claude_json && claude_json->is_object() && claude_json->contains("mcpServers")) {
    CollectServers((*claude_json)["mcpServers"], McpScope::kUser, claude_json_path, &out, warnings);
  }
  return out;
}

McpApproval ProjectServerApproval(const Env& env, const std::string& cwd, const Json* settings,
                                  const std::string& name) {
  Json entry;
  if (auto claude_json = ReadJsonFile(env, ClaudeJsonPath(env), nullptr)) {
    entry = ProjectEntry(*claude_json, cwd);
  }
  static const Json kEmpty = Json::object();
  const Json& s = settings ? *settings : kEmpty;
  if (ListContains(s, "disabledMcpjsonServers", name) ||
      ListContains(entry, "disabledMcpjsonServers", name)) {
    return McpApproval::kRejected;
  }
  if (Flag(s, "enableAllProjectMcpServers") || Flag(entry, "enableAllProjectMcpServers") ||
      ListContains(s, "enabledMcpjsonServers", name) ||
      ListContains(entry, "enabledMcpjsonServers", name)) {
    return McpApproval::kApproved;
  }
  return McpApproval::kUnanswered;
}

Result<McpServerSet> LoadMcpServers(const Env& env, const McpConfigInputs& inputs) {
  McpServerSet set;
  std::set<std::string> taken;
  auto add = [&](McpServerConfig s) {
    if (!taken.insert(s.name).second) return;
    set.servers.push_back(std::move(s));
  };
  for (const std::string& value : inputs.mcp_configs) {
    std::string_view trimmed = Trim(value);
    std::string origin = "--mcp-config";
    std::string text;
    if (!trimmed.empty() && trimmed.front() == '{') {
      text = std::string(trimmed);
    } else {
      std::string path = JoinPath(inputs.cwd, ExpandHome(env, value));
      auto read = env.ReadFile(path);
      if (!read.ok()) {
        return MakeError(errc::kMcpConfig, "--mcp-config " + value + ": " + read.error().message,
                         "pass a readable JSON file or a JSON string {\"mcpServers\": {...}}");
      }
      text = std::move(read).value();
      origin = path;
    }
    auto servers = ParseMcpServersJson(text, McpScope::kDynamic, origin);
    if (!servers.ok()) return std::move(servers).error();
    for (auto& s : *servers) add(std::move(s));
  }
  if (inputs.strict) return set;
  std::vector<McpServerConfig> configured = AllConfiguredMcpServers(env, inputs.cwd, &set.warnings);
  // A project server that may not start (untrusted workspace, rejected, not yet approved) does
  // not hide a user server of the same name.
  for (auto& s : configured) {
    if (taken.count(s.name)) continue;
    if (s.scope != McpScope::kProject) {
      add(std::move(s));
      continue;
    }
    if (!inputs.project_trusted) {
      set.untrusted.push_back(std::move(s));
      continue;
    }
    switch (ProjectServerApproval(env, inputs.cwd, inputs.settings, s.name)) {
      case McpApproval::kApproved:
        add(std::move(s));
        break;
      case McpApproval::kRejected:
        break;
      case McpApproval::kUnanswered:
        set.unapproved.push_back(std::move(s));
        break;
    }
  }
  std::sort(set.servers.begin(), set.servers.end(),
            [](const McpServerConfig& a, const McpServerConfig& b) { return a.name < b.name; });
  return set;
}

std::vector<IgnoredSetting> ProjectMcpServersForTrustReport(const Env& env,
                                                            const std::string& cwd) {
  std::vector<IgnoredSetting> out;
  std::string path = FindProjectMcpJson(env, cwd);
  if (path.empty()) return out;
  std::vector<McpServerConfig> servers;
  if (auto file = ReadJsonFile(env, path, nullptr)) {
    if (file->is_object() && file->contains("mcpServers")) {
      CollectServers((*file)["mcpServers"], McpScope::kProject, path, &servers, nullptr);
    }
  }
  for (const auto& s : servers) {
    std::string shown = s.transport == McpTransportKind::kStdio ? s.command : s.url;
    for (const auto& a : s.args) shown += " " + a;
    if (shown.size() > 80) shown = shown.substr(0, 77) + "...";
    out.push_back({path, "mcpServers." + s.name, Json(shown).dump()});
  }
  return out;
}

Status RememberProjectServerApproval(Env& env, const std::string& project_dir,
                                     const std::vector<std::string>& names, bool approved) {
  std::string path = JoinPath(project_dir, ".claude/settings.local.json");
  Json file = Json::object();
  auto text = env.ReadFile(path);
  if (text.ok()) {
    auto parsed = ParseJson(*text, path);
    if (!parsed.ok()) return std::move(parsed).error();
    if (!parsed->is_object()) {
      return MakeError(errc::kMcpConfig, path + " is not a JSON object",
                       "fix or remove the file, then answer again");
    }
    file = std::move(parsed).value();
  } else if (!errc::Is(text.error(), errc::kIoNotFound)) {
    return std::move(text).error();
  }
  const char* key = approved ? "enabledMcpjsonServers" : "disabledMcpjsonServers";
  if (!file.contains(key) || !file[key].is_array()) file[key] = Json::array();
  for (const std::string& n : names) {
    if (!ListContains(file, key, n)) file[key].push_back(n);
  }
  return env.WriteFileAtomic(path, file.dump(2) + "\n", 0600);
}

}  // namespace brock
