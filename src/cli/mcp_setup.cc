#include "cli/mcp_setup.h"

#include <nlohmann/json.hpp>
#include <regex>
#include <set>

#include "agent/child_env.h"
#include "agent/tool_mcp.h"
#include "base/error_codes.h"
#include "base/strings.h"
#include "cli/mcp_login.h"
#include "cli/version.h"
#include "mcp/mcp_content.h"
#include "net/http_client.h"

namespace brock {

namespace {

// The HTTP client MCP servers share: the process's proxies and CA store, like Claude Code.
HttpClient& McpHttpClient() {
  static std::unique_ptr<HttpClient> client = MakeCurlHttpClient();
  return *client;
}

// Rebuilds the agent's tool list: the tools that are not MCP tools, then the current MCP tools.
void OfferMcpTools(const PermissionEngine* permissions, McpSetup* setup,
                   std::vector<Tool*>& tools) {
  std::vector<Tool*> kept;
  for (Tool* t : tools) {
    if (!StartsWith(t->name(), "mcp__")) kept.push_back(t);
  }
  auto fresh = MakeMcpTools(setup->servers);
  std::set<std::string> names;
  for (Tool* t : kept) names.insert(t->name());
  for (auto& t : fresh) {
    // Two tools whose names normalize alike ("a b" and "a_b", or cut at 64 characters): the model
    // API refuses duplicate names, so only the first is offered.
    if (!names.insert(t->name()).second) continue;
    if (t->name() != setup->hidden_tool && !permissions->IsToolDenied(*t)) kept.push_back(t.get());
    setup->tools.push_back(std::move(t));  // earlier lists stay alive: a call may still run
  }
  tools = std::move(kept);
}

}  // namespace

Status SetUpMcp(Env& env, const CliOptions& options, const Session& setup,
                const PermissionEngine& permissions, McpApprovalAsker ask, AgentOptions& agent,
                McpSetup& out) {
  if (StartsWith(options.permission_prompt_tool, "mcp__")) {
    out.hidden_tool = options.permission_prompt_tool;
  }
  McpConfigInputs inputs;
  inputs.cwd = env.CurrentDir();
  inputs.mcp_configs = options.mcp_configs;
  inputs.strict = options.strict_mcp_config;
  inputs.project_trusted = setup.project_trusted();
  inputs.settings = setup.settings().merged.get();
  auto loaded = LoadMcpServers(env, inputs);
  if (!loaded.ok()) return std::move(loaded).error();
  McpServerSet& set = *loaded;
  for (auto& w : set.warnings) out.warnings.push_back(std::move(w));
  if (!set.unapproved.empty()) {
    std::vector<std::string> names;
    for (const auto& s : set.unapproved) names.push_back(s.name);
    if (ask) {
      std::vector<std::string> approved = ask(set.unapproved);
      std::vector<std::string> rejected;
      for (auto& s : set.unapproved) {
        if (std::find(approved.begin(), approved.end(), s.name) != approved.end()) {
          // An approved project server replaces a user server of the same name.
          std::erase_if(set.servers,
                        [&](const McpServerConfig& other) { return other.name == s.name; });
          set.servers.push_back(s);
        } else {
          rejected.push_back(s.name);
        }
      }
      std::string dir = DirName(set.unapproved.front().origin);
      if (!approved.empty()) {
        if (Status st = RememberProjectServerApproval(env, dir, approved, true); !st.ok()) {
          out.warnings.push_back("the MCP approval was not remembered: " + st.error().message);
        }
      }
      if (!rejected.empty()) {
        if (Status st = RememberProjectServerApproval(env, dir, rejected, false); !st.ok()) {
          out.warnings.push_back("the MCP approval was not remembered: " + st.error().message);
        }
      }
    } else {
      out.warnings.push_back(
          "MCP servers from " + set.unapproved.front().origin +
          " not approved, skipped: " + Join(names, ", ") +
          " (approve them in an interactive brock session, or list them in "
          "enabledMcpjsonServers, or set enableAllProjectMcpServers, in a settings file)");
    }
  }
  if (set.servers.empty()) return {};
  out.servers = std::make_shared<McpServers>(env, McpHttpClient(), kBrockVersion);
  auto startup = std::chrono::milliseconds(env.GetInt("MCP_TIMEOUT", kDefaultMcpStartupTimeoutMs));
  out.servers->set_withheld_env(ToolEnvironmentRemovals(env));
  out.servers->Start(set.servers, startup, startup);
  for (auto& n : out.servers->TakeNotices()) out.warnings.push_back(std::move(n));
  OfferMcpTools(&permissions, &out, agent.tools);
  for (const auto& st : out.servers->Statuses()) {
    agent.session.mcp_servers.emplace_back(st.name, st.status);
  }
  McpSetup* setup_ptr = &out;
  const PermissionEngine* perms = &permissions;
  agent.before_request = [setup_ptr, perms](std::vector<Tool*>& tools,
                                            std::vector<std::string>& notices) {
    setup_ptr->servers->RefreshTools();
    for (auto& n : setup_ptr->servers->TakeNotices()) notices.push_back(std::move(n));
    // Each turn of the terminal starts from the session's list: compare with what the servers
    // offer now, not only with the last change.
    std::vector<std::string> offered, current;
    for (const Tool* t : tools) {
      if (StartsWith(t->name(), "mcp__")) offered.push_back(t->name());
    }
    std::set<std::string> seen;
    for (const auto& e : setup_ptr->servers->Tools()) {
      if (seen.insert(e.full_name).second && e.full_name != setup_ptr->hidden_tool &&
          !perms->IsToolDenied(e.full_name)) {
        current.push_back(e.full_name);
      }
    }
    if (offered == current) return false;
    OfferMcpTools(perms, setup_ptr, tools);
    return true;
  };
  return {};
}

std::optional<Result<std::string>> ExpandMcpPromptCommand(McpServers* servers,
                                                          const std::string& line) {
  std::string_view text = Trim(line);
  if (!servers || !StartsWith(text, "/mcp__")) return std::nullopt;
  size_t space = text.find_first_of(" \t\n");
  std::string command(
      text.substr(1, space == std::string_view::npos ? std::string_view::npos : space - 1));
  const McpPromptEntry* prompt = servers->FindPrompt(command);
  if (!prompt) return std::nullopt;
  std::string rest = space == std::string_view::npos ? "" : std::string(Trim(text.substr(space)));
  // Arguments in order, separated by spaces; the last argument takes the rest of the line.
  std::map<std::string, std::string> args;
  const auto& declared = prompt->info.arguments;
  for (size_t i = 0; i < declared.size() && !rest.empty(); ++i) {
    if (i + 1 == declared.size()) {
      args[declared[i].name] = rest;
      rest.clear();
      break;
    }
    size_t sp = rest.find_first_of(" \t");
    args[declared[i].name] = rest.substr(0, sp);
    rest = sp == std::string::npos ? "" : std::string(Trim(rest.substr(sp)));
  }
  for (const auto& a : declared) {
    if (a.required && !args.count(a.name)) {
      std::vector<std::string> names;
      for (const auto& d : declared) names.push_back(d.required ? d.name : "[" + d.name + "]");
      return Result<std::string>(MakeError("mcp.prompt_arguments",
                                           "/" + command + " needs the argument '" + a.name + "'",
                                           "write /" + command + " " + Join(names, " ")));
    }
  }
  auto client = servers->Client(prompt->server);
  if (!client || !client->connected()) {
    return Result<std::string>(MakeError("mcp.closed",
                                         "MCP server '" + prompt->server + "' is not connected",
                                         "/mcp shows why; restart brock to start it again"));
  }
  auto got = client->GetPrompt(prompt->info.name, args, servers->request_timeout());
  if (!got.ok()) return Result<std::string>(std::move(got).error());
  return Result<std::string>(McpPromptMessagesText(*got));
}

std::string AttachMcpResources(McpServers* servers, const std::string& prompt) {
  if (!servers || prompt.find('@') == std::string::npos) return prompt;
  static const std::regex kRef(R"((?:^|\s)@([A-Za-z0-9_.-]+):(\S+))");
  std::string attachments;
  for (std::sregex_iterator it(prompt.begin(), prompt.end(), kRef), end; it != end; ++it) {
    std::string server = (*it)[1];
    std::string uri = (*it)[2];
    auto client = servers->ClientForReference(server);
    if (!client) continue;  // not a server: an ordinary @mention
    auto read = client->ReadResource(uri, servers->request_timeout());
    attachments += "\n\n<mcp-resource server=\"" + server + "\" uri=\"" + uri + "\">\n";
    attachments +=
        read.ok() ? McpResourceText(*read) : "(could not read it: " + read.error().message + ")";
    attachments += "\n</mcp-resource>";
  }
  return attachments.empty() ? prompt : prompt + attachments;
}

std::string DescribeMcpServers(const McpServers* servers) {
  if (!servers || servers->Statuses().empty()) {
    return "No MCP servers configured. Add one with `brock mcp add`, a .mcp.json file, or "
           "--mcp-config.\n";
  }
  std::string out = "MCP servers:\n";
  for (const auto& s : servers->Statuses()) {
    out += "  " + s.name + "  " + s.status + "  (" + McpScopeName(s.scope) + ", " +
           McpTransportName(s.transport) + ")";
    if (s.status == "connected") {
      out += "  " + std::to_string(s.tools) + " tools, " + std::to_string(s.prompts) + " prompts";
      if (!s.server_info.empty()) out += "  [" + s.server_info + "]";
    } else if (s.status == "needs-auth") {
      out += "  needs authentication: /mcp login " + s.name;
    } else if (!s.error.empty()) {
      out += "  " + s.error;
    }
    out += "\n";
  }
  return out;
}

namespace {

Result<McpServerConfig> SessionServer(McpServers* servers, const std::string& name) {
  const McpServerConfig* config = servers ? servers->Config(name) : nullptr;
  if (!config) {
    return MakeError(errc::kMcpConfig, "this session has no MCP server named '" + name + "'",
                     "/mcp lists the session's servers");
  }
  return *config;
}

}  // namespace

Result<std::string> McpSessionLogin(Env& env, McpServers* servers, const std::string& name,
                                    const std::function<void(const std::string&)>& say,
                                    const std::atomic<bool>* cancel) {
  auto config = SessionServer(servers, name);
  if (!config.ok()) return config.error();
  if (Status st = McpLogin(env, McpHttpClient(), *config, say, cancel); !st.ok()) {
    return st.error();
  }
  McpServerStatus status = servers->Reconnect(name);
  for (auto& n : servers->TakeNotices()) say(n);
  if (status.status != "connected") {
    return "Signed in to MCP server " + name + ", but it did not connect (" + status.status + ")";
  }
  return "Signed in to MCP server " + name + ": connected, " + std::to_string(status.tools) +
         " tools, " + std::to_string(status.prompts) + " prompts";
}

Result<std::string> McpSessionLogout(Env& env, McpServers* servers, const std::string& name) {
  auto config = SessionServer(servers, name);
  if (!config.ok()) return config.error();
  auto removed = McpLogout(env, *config);
  if (!removed.ok()) return removed.error();
  if (!*removed) return "MCP server " + name + " has no saved sign-in";
  servers->Reconnect(name);
  (void)servers->TakeNotices();
  return "Signed out of MCP server " + name;
}

}  // namespace brock
