#include "cli/mcp_command.h"

#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "base/error_codes.h"
#include "base/strings.h"
#include "cli/mcp_login.h"
#include "cli/version.h"
#include "mcp/mcp_config.h"
#include "mcp/mcp_servers.h"
#include "mcp/oauth_token_store.h"
#include "net/http_client.h"

namespace brock {

namespace {

constexpr char kUsage[] =
    "Usage:\n"
    "  brock mcp add [-t stdio|http|sse] [-s local|user|project] [-e KEY=VALUE]... "
    "[-H \"Name: value\"]... <name> <command|url> [args...]\n"
    "  brock mcp add-json [-s local|user|project] <name> '<json>'\n"
    "  brock mcp list\n"
    "  brock mcp get <name>\n"
    "  brock mcp remove [-s local|user|project] <name>\n"
    "  brock mcp login <name>     sign in to a remote server that uses OAuth\n"
    "  brock mcp logout <name>    forget that sign-in\n";

int Usage(std::FILE* err, const std::string& what) {
  std::fprintf(err, "Error: %s\n%s", what.c_str(), kUsage);
  return 2;
}

int Fail(std::FILE* err, const Error& e) {
  std::fprintf(err, "Error: %s\n", e.ToString().c_str());
  return 1;
}

std::optional<McpScope> ParseScope(const std::string& s) {
  if (s == "local") return McpScope::kLocal;
  if (s == "user") return McpScope::kUser;
  if (s == "project") return McpScope::kProject;
  return std::nullopt;
}

// The file a scope lives in.
std::string ScopeFile(const Env& env, McpScope scope) {
  if (scope == McpScope::kProject) return JoinPath(env.CurrentDir(), ".mcp.json");
  return ClaudeJsonPath(env);
}

Result<Json> ReadObject(const Env& env, const std::string& path) {
  auto text = env.ReadFile(path);
  if (!text.ok()) {
    if (errc::Is(text.error(), errc::kIoNotFound)) return Json::object();
    return std::move(text).error();
  }
  auto parsed = ParseJson(*text, path);
  if (!parsed.ok()) return std::move(parsed).error();
  if (!parsed->is_object()) {
    return MakeError(errc::kMcpConfig, path + " is not a JSON object",
                     "fix the file by hand; brock will not overwrite it");
  }
  return parsed;
}

// The mcpServers object of `scope` inside `file` (created when `create`), or null.
Json* ServersOf(Json& file, McpScope scope, const std::string& cwd, bool create) {
  Json* holder = &file;
  if (scope == McpScope::kLocal) {
    if (!file.contains("projects") || !file["projects"].is_object()) {
      if (!create) return nullptr;
      file["projects"] = Json::object();
    }
    Json& projects = file["projects"];
    if (!projects.contains(cwd) || !projects[cwd].is_object()) {
      if (!create) return nullptr;
      projects[cwd] = Json::object();
    }
    holder = &projects[cwd];
  }
  if (!holder->contains("mcpServers") || !(*holder)["mcpServers"].is_object()) {
    if (!create) return nullptr;
    (*holder)["mcpServers"] = Json::object();
  }
  return &(*holder)["mcpServers"];
}

Status WriteDefinition(Env& env, McpScope scope, const std::string& name, const Json& definition) {
  std::string path = ScopeFile(env, scope);
  auto file = ReadObject(env, path);
  if (!file.ok()) return std::move(file).error();
  Json* servers = ServersOf(*file, scope, env.CurrentDir(), true);
  if (servers->contains(name)) {
    return MakeError(
        errc::kMcpConfig,
        "MCP server '" + name + "' already exists in " + McpScopeName(scope) + " config (" + path +
            ")",
        "remove it first: brock mcp remove \"" + name + "\" -s " + McpScopeName(scope));
  }
  (*servers)[name] = definition;
  // ~/.claude.json holds more than servers; it stays private to the user.
  return env.WriteFileAtomic(path, file->dump(2) + "\n", scope == McpScope::kProject ? 0644 : 0600);
}

// "KEY=VALUE" -> pair; "Name: value" -> pair.
std::optional<std::pair<std::string, std::string>> SplitPair(const std::string& s, char sep) {
  size_t at = s.find(sep);
  if (at == std::string::npos || at == 0) return std::nullopt;
  std::string key(Trim(s.substr(0, at)));
  std::string value = s.substr(at + 1);
  if (sep == ':') value = std::string(Trim(value));
  if (key.empty()) return std::nullopt;
  return std::make_pair(key, value);
}

int Add(Env& env, const std::vector<std::string>& args, std::FILE* out, std::FILE* err) {
  std::string transport = "stdio", scope_name = "local";
  std::vector<std::string> envs, headers, positional;
  bool options_done = false;
  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    // Options are read until the command (the second positional); everything after it is its own.
    if (!options_done && positional.size() < 2 && a == "--") {
      options_done = true;
      continue;
    }
    if (!options_done && positional.size() < 2 && !a.empty() && a[0] == '-') {
      auto value = [&](std::string* into) {
        if (size_t eq = a.find('='); eq != std::string::npos && a.rfind("--", 0) == 0) {
          *into = a.substr(eq + 1);
          return true;
        }
        if (i + 1 >= args.size()) return false;
        *into = args[++i];
        return true;
      };
      std::string flag = a.substr(0, a.find('='));
      std::string v;
      if (flag == "-t" || flag == "--transport") {
        if (!value(&transport)) return Usage(err, a + " needs a value");
      } else if (flag == "-s" || flag == "--scope") {
        if (!value(&scope_name)) return Usage(err, a + " needs a value");
      } else if (flag == "-e" || flag == "--env") {
        if (!value(&v)) return Usage(err, a + " needs KEY=VALUE");
        envs.push_back(v);
      } else if (flag == "-H" || flag == "--header") {
        if (!value(&v)) return Usage(err, a + " needs \"Name: value\"");
        headers.push_back(v);
      } else {
        return Usage(err, "unknown option " + a + " (put -- before the server's command)");
      }
      continue;
    }
    positional.push_back(a);
  }
  if (positional.size() < 2) return Usage(err, "mcp add needs a name and a command or URL");
  auto scope = ParseScope(scope_name);
  if (!scope) return Usage(err, "--scope must be local, user or project");
  const std::string& name = positional[0];
  Json def = Json::object();
  if (transport == "stdio") {
    def["type"] = "stdio";
    def["command"] = positional[1];
    def["args"] = Json::array();
    for (size_t i = 2; i < positional.size(); ++i) def["args"].push_back(positional[i]);
    def["env"] = Json::object();
    for (const auto& e : envs) {
      auto kv = SplitPair(e, '=');
      if (!kv) return Usage(err, "-e needs KEY=VALUE, got " + e);
      def["env"][kv->first] = kv->second;
    }
    if (!headers.empty()) return Usage(err, "--header applies to http and sse servers only");
  } else if (transport == "http" || transport == "sse") {
    if (positional.size() > 2) return Usage(err, "an " + transport + " server takes a URL only");
    def["type"] = transport;
    def["url"] = positional[1];
    if (!headers.empty()) {
      def["headers"] = Json::object();
      for (const auto& h : headers) {
        auto kv = SplitPair(h, ':');
        if (!kv) return Usage(err, "-H needs \"Name: value\", got " + h);
        def["headers"][kv->first] = kv->second;
      }
    }
    if (!envs.empty()) return Usage(err, "--env applies to stdio servers only");
  } else {
    return Usage(err, "--transport must be stdio, http or sse");
  }
  if (auto parsed = ParseMcpServer(name, def, *scope, "brock mcp add"); !parsed.ok()) {
    return Fail(err, parsed.error());
  }
  if (Status st = WriteDefinition(env, *scope, name, def); !st.ok()) return Fail(err, st.error());
  std::fprintf(out, "Added %s MCP server %s to %s config\nFile modified: %s\n", transport.c_str(),
               name.c_str(), McpScopeName(*scope), ScopeFile(env, *scope).c_str());
  return 0;
}

int AddJson(Env& env, const std::vector<std::string>& args, std::FILE* out, std::FILE* err) {
  std::string scope_name = "local";
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    if ((args[i] == "-s" || args[i] == "--scope") && i + 1 < args.size()) {
      scope_name = args[++i];
    } else if (args[i].rfind("--scope=", 0) == 0) {
      scope_name = args[i].substr(8);
    } else {
      positional.push_back(args[i]);
    }
  }
  if (positional.size() != 2) return Usage(err, "mcp add-json needs a name and a JSON definition");
  auto scope = ParseScope(scope_name);
  if (!scope) return Usage(err, "--scope must be local, user or project");
  auto def = ParseJson(positional[1], "the JSON argument");
  if (!def.ok()) return Fail(err, def.error());
  if (auto parsed = ParseMcpServer(positional[0], *def, *scope, "the JSON argument");
      !parsed.ok()) {
    return Fail(err, parsed.error());
  }
  if (Status st = WriteDefinition(env, *scope, positional[0], *def); !st.ok()) {
    return Fail(err, st.error());
  }
  std::fprintf(out, "Added MCP server %s to %s config\nFile modified: %s\n", positional[0].c_str(),
               McpScopeName(*scope), ScopeFile(env, *scope).c_str());
  return 0;
}

std::string Summary(const McpServerConfig& s) {
  if (s.transport != McpTransportKind::kStdio) {
    return s.url + " (" + McpTransportName(s.transport) + ")";
  }
  std::string line = s.command;
  for (const auto& a : s.args) line += " " + a;
  return line;
}

// Connects to each server (in parallel) and reports its status.
std::vector<McpServerStatus> CheckHealth(Env& env, const std::vector<McpServerConfig>& servers) {
  auto http = MakeCurlHttpClient();
  McpServers running(env, *http, kBrockVersion);
  auto timeout = std::chrono::milliseconds(env.GetInt("MCP_TIMEOUT", kDefaultMcpStartupTimeoutMs));
  running.Start(servers, timeout, timeout);
  auto statuses = running.Statuses();
  running.Shutdown();
  return statuses;
}

int List(Env& env, std::FILE* out, std::FILE* err) {
  std::vector<std::string> warnings;
  auto servers = AllConfiguredMcpServers(env, env.CurrentDir(), &warnings);
  for (const auto& w : warnings) std::fprintf(err, "warning: %s\n", w.c_str());
  if (servers.empty()) {
    std::fprintf(out, "No MCP servers configured. Use `brock mcp add` to add a server.\n");
    return 0;
  }
  // A name defined in several scopes: the first (local, project, user) is the one that runs.
  std::vector<McpServerConfig> unique;
  for (auto& s : servers) {
    bool seen = false;
    for (const auto& u : unique) seen = seen || u.name == s.name;
    if (!seen) unique.push_back(s);
  }
  std::fprintf(out, "Checking MCP server health...\n\n");
  std::fflush(out);
  auto statuses = CheckHealth(env, unique);
  for (size_t i = 0; i < unique.size(); ++i) {
    const auto& st = statuses[i];
    std::string state = st.status == "connected"    ? "✓ Connected"
                        : st.status == "needs-auth" ? "! Needs authentication"
                                                    : "✗ Failed to connect";
    std::fprintf(out, "%s: %s - %s\n", unique[i].name.c_str(), Summary(unique[i]).c_str(),
                 state.c_str());
  }
  return 0;
}

int Get(Env& env, const std::vector<std::string>& args, std::FILE* out, std::FILE* err) {
  if (args.size() != 1) return Usage(err, "mcp get needs a server name");
  auto servers = AllConfiguredMcpServers(env, env.CurrentDir(), nullptr);
  for (const auto& s : servers) {
    if (s.name != args[0]) continue;
    auto status = CheckHealth(env, {s});
    std::string state = status[0].status == "connected" ? "✓ Connected"
                        : status[0].status == "needs-auth"
                            ? "! Needs authentication (run: brock mcp login " + s.name + ")"
                            : "✗ Failed to connect: " + status[0].error;
    std::fprintf(out, "%s:\n  Scope: %s\n  Status: %s\n  Type: %s\n", s.name.c_str(),
                 McpScopeDescription(s.scope).c_str(), state.c_str(),
                 McpTransportName(s.transport));
    if (s.transport == McpTransportKind::kStdio) {
      std::fprintf(out, "  Command: %s\n  Args: %s\n", s.command.c_str(),
                   Join(s.args, " ").c_str());
      if (!s.env.empty()) {
        std::fprintf(out, "  Environment:\n");
        for (const auto& [k, v] : s.env) std::fprintf(out, "    %s=(set, not shown)\n", k.c_str());
      }
    } else {
      std::fprintf(out, "  URL: %s\n", s.url.c_str());
      if (!s.headers.empty()) {
        std::fprintf(out, "  Headers:\n");
        for (const auto& [k, v] : s.headers)
          std::fprintf(out, "    %s: (set, not shown)\n", k.c_str());
      }
    }
    std::fprintf(out, "\nTo remove this server, run: brock mcp remove \"%s\" -s %s\n",
                 s.name.c_str(), McpScopeName(s.scope));
    return 0;
  }
  return Fail(err, MakeError(errc::kMcpConfig, "no MCP server named '" + args[0] + "'",
                             "`brock mcp list` shows the configured servers"));
}

int Remove(Env& env, const std::vector<std::string>& args, std::FILE* out, std::FILE* err) {
  std::optional<McpScope> scope;
  std::vector<std::string> positional;
  for (size_t i = 0; i < args.size(); ++i) {
    if ((args[i] == "-s" || args[i] == "--scope") && i + 1 < args.size()) {
      scope = ParseScope(args[++i]);
      if (!scope) return Usage(err, "--scope must be local, user or project");
    } else {
      positional.push_back(args[i]);
    }
  }
  if (positional.size() != 1) return Usage(err, "mcp remove needs a server name");
  const std::string& name = positional[0];
  std::vector<McpScope> found;
  for (McpScope s : {McpScope::kLocal, McpScope::kProject, McpScope::kUser}) {
    if (scope && *scope != s) continue;
    auto file = ReadObject(env, ScopeFile(env, s));
    if (!file.ok()) continue;
    Json* servers = ServersOf(*file, s, env.CurrentDir(), false);
    if (servers && servers->contains(name)) found.push_back(s);
  }
  if (found.empty()) {
    return Fail(err,
                MakeError(errc::kMcpConfig,
                          "no MCP server named '" + name + "'" +
                              (scope ? std::string(" in ") + McpScopeName(*scope) + " config" : ""),
                          "`brock mcp list` shows the configured servers"));
  }
  if (found.size() > 1) {
    std::vector<std::string> names;
    for (McpScope s : found) names.push_back(McpScopeName(s));
    return Fail(
        err, MakeError(errc::kMcpConfig,
                       "MCP server '" + name + "' exists in several scopes: " + Join(names, ", "),
                       "say which with -s " + names[0]));
  }
  std::string path = ScopeFile(env, found[0]);
  auto file = ReadObject(env, path);
  if (!file.ok()) return Fail(err, file.error());
  ServersOf(*file, found[0], env.CurrentDir(), false)->erase(name);
  if (Status st = env.WriteFileAtomic(path, file->dump(2) + "\n",
                                      found[0] == McpScope::kProject ? 0644 : 0600);
      !st.ok()) {
    return Fail(err, st.error());
  }
  std::fprintf(out, "Removed MCP server %s from %s config\nFile modified: %s\n", name.c_str(),
               McpScopeName(found[0]), path.c_str());
  return 0;
}

// The configured server named `name` (the one that runs: local, project, user), or an Error.
Result<McpServerConfig> FindServer(Env& env, const std::string& name) {
  for (auto& s : AllConfiguredMcpServers(env, env.CurrentDir(), nullptr)) {
    if (s.name == name) return s;
  }
  return MakeError(errc::kMcpConfig, "no MCP server named '" + name + "'",
                   "`brock mcp list` shows the configured servers");
}

int Login(Env& env, const std::vector<std::string>& args, std::FILE* out, std::FILE* err) {
  if (args.size() != 1) return Usage(err, "mcp login needs a server name");
  auto server = FindServer(env, args[0]);
  if (!server.ok()) return Fail(err, server.error());
  auto http = MakeCurlHttpClient();
  Status st = McpLogin(env, *http, *server, [out](const std::string& line) {
    std::fprintf(out, "%s\n", line.c_str());
    std::fflush(out);
  });
  if (!st.ok()) return Fail(err, st.error());
  std::fprintf(out, "Signed in to MCP server %s. The sign-in is saved in %s\n", args[0].c_str(),
               McpOAuthRecordPath(env, ExpandMcpServer(*server, env)->url).c_str());
  return 0;
}

int Logout(Env& env, const std::vector<std::string>& args, std::FILE* out, std::FILE* err) {
  if (args.size() != 1) return Usage(err, "mcp logout needs a server name");
  auto server = FindServer(env, args[0]);
  if (!server.ok()) return Fail(err, server.error());
  auto removed = McpLogout(env, *server);
  if (!removed.ok()) return Fail(err, removed.error());
  std::fprintf(out,
               *removed ? "Signed out of MCP server %s\n" : "MCP server %s has no saved sign-in\n",
               args[0].c_str());
  return 0;
}

}  // namespace

int RunMcpCommand(Env& env, int argc, char** argv, std::FILE* out, std::FILE* err) {
  if (argc < 2 || std::string(argv[1]) == "--help" || std::string(argv[1]) == "-h") {
    std::fputs(kUsage, argc < 2 ? err : out);
    return argc < 2 ? 2 : 0;
  }
  std::string verb = argv[1];
  std::vector<std::string> args(argv + 2, argv + argc);
  if (verb == "add") return Add(env, args, out, err);
  if (verb == "add-json") return AddJson(env, args, out, err);
  if (verb == "list") return List(env, out, err);
  if (verb == "get") return Get(env, args, out, err);
  if (verb == "remove") return Remove(env, args, out, err);
  if (verb == "login") return Login(env, args, out, err);
  if (verb == "logout") return Logout(env, args, out, err);
  return Usage(err, "unknown mcp command '" + verb + "'");
}

int RunMcpCommand(int argc, char** argv) {
  return RunMcpCommand(RealEnv(), argc, argv, stdout, stderr);
}

}  // namespace brock
