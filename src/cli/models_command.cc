#include "cli/models_command.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/log.h"
#include "base/secrets.h"
#include "bedrock/control_plane_client.h"
#include "cli/guide_context.h"
#include "cli/report_error.h"
#include "cli/session.h"
#include "settings/settings_edit.h"
#include "settings/settings_locate.h"

namespace brock {

namespace {

constexpr char kUsage[] =
    "Usage: brock models [--json] [--refresh] [--debug]\n"
    "       brock models --pin sonnet|haiku|opus|default ID [--no-check]\n"
    "\n"
    "Lists the region's Bedrock inference profiles and foundation models (ID, name, type,\n"
    "status, the regions a profile routes to) and marks the models your configuration uses.\n"
    "--pin writes the model for an alias into ~/.claude/settings.json (backed up first):\n"
    "  sonnet  -> ANTHROPIC_DEFAULT_SONNET_MODEL    haiku -> ANTHROPIC_DEFAULT_HAIKU_MODEL\n"
    "  opus    -> ANTHROPIC_DEFAULT_OPUS_MODEL      default -> ANTHROPIC_MODEL\n";

int UsageError(const std::string& problem) {
  std::fprintf(stderr, "Error: %s\n\n%s", problem.c_str(), kUsage);
  return 2;
}

// "sonnet (pinned), model" for the configured models that name `id` or `arn`.
std::string UsedBy(const std::vector<ConfiguredModel>& configured, const std::string& id,
                   const std::string& arn) {
  std::string out;
  for (const auto& c : configured) {
    if (c.model_id != id && (arn.empty() || c.model_id != arn)) continue;
    if (!out.empty()) out += ", ";
    out += c.role + (c.pinned ? " (pinned)" : "");
  }
  return out;
}

std::string Regions(const std::vector<std::string>& arns) {
  std::string out;
  for (const auto& a : arns) {
    std::string r = RegionFromArn(a);
    if (r.empty() || out.find(r) != std::string::npos) continue;
    if (!out.empty()) out += ",";
    out += r;
  }
  return out;
}

void PrintTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<size_t> width;
  for (const auto& row : rows) {
    if (width.size() < row.size()) width.resize(row.size(), 0);
    for (size_t i = 0; i < row.size(); ++i) width[i] = std::max(width[i], row[i].size());
  }
  for (const auto& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      line += row[i];
      if (i + 1 < row.size()) line += std::string(width[i] - row[i].size() + 2, ' ');
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    line += "\n";
    std::fwrite(line.data(), 1, line.size(), stdout);
  }
}

int Pin(Session& session, const std::string& name, const std::string& id, bool check) {
  std::string var = PinVariable(name);
  if (check) {
    auto client = MakeControlPlaneClient(session);
    if (!client.ok()) return ReportError(client.error());
    auto catalog = LoadSessionCatalog(session, **client, false);
    if (!catalog.ok()) {
      Error e = std::move(catalog).error();
      e.message = "cannot check " + id + " against the region's models: " + e.message;
      e.fix += e.fix.empty() ? "" : "; ";
      e.fix += "or pin without the check: brock models --pin " + name + " " + id + " --no-check";
      return ReportError(e);
    }
    if (!catalog->FindProfile(id) && !catalog->FindModel(id)) {
      return ReportError(MakeError(
          "model.not_in_region",
          id + " is not an inference profile or foundation model of " + session.connection().region,
          "pick an ID from `brock models` (cross-region profiles such as us.anthropic.claude-"
          "sonnet-4-6 are the usual choice), or add --no-check to pin it anyway"));
    }
  }
  std::string path = UserSettingsPath(session.env());
  auto edit = EditSettingsFile(session.env(), path, Json{{"env", {{var, id}}}});
  if (!edit.ok()) return ReportError(edit.error());
  if (!edit->changed) {
    std::printf("%s is already %s in %s\n", var.c_str(), id.c_str(), path.c_str());
    return 0;
  }
  std::printf("Pinned %s: %s = %s in %s\n", name.c_str(), var.c_str(), id.c_str(), path.c_str());
  if (!edit->backup_path.empty()) std::printf("Backup: %s\n", edit->backup_path.c_str());
  std::printf("Restart brock for the change to take effect.\n");
  return 0;
}

}  // namespace

int RunModelsCommand(int argc, char** argv) {
  bool json = false, refresh = false, check = true;
  std::string pin_name, pin_id;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "--json") {
      json = true;
    } else if (arg == "--refresh") {
      refresh = true;
    } else if (arg == "--no-check") {
      check = false;
    } else if (arg == "--debug" || arg == "-d") {
      SetDebugLogging(true);
    } else if (arg == "--pin") {
      if (i + 2 >= argc)
        return UsageError("--pin wants a name (sonnet, haiku, opus, default) and an ID");
      pin_name = argv[++i];
      pin_id = argv[++i];
      if (PinVariable(pin_name).empty()) {
        return UsageError("--pin " + pin_name +
                          ": the name must be sonnet, haiku, opus or default");
      }
      if (pin_id.empty() || pin_id.find_first_of(" \t\r\n") != std::string::npos) {
        return UsageError("--pin " + pin_name +
                          ": the ID must be a model ID or ARN without spaces");
      }
    } else {
      return UsageError("unknown argument: " + std::string(arg));
    }
  }
  Env& env = RealEnv();
  auto opened = Session::Open(env, CliOptions{});
  if (!opened.ok()) return ReportError(opened.error());
  Session& session = **opened;
  for (const std::string& w : session.warnings()) {
    std::fprintf(stderr, "brock: %s\n", ScrubSecrets(w).c_str());
  }
  if (!pin_name.empty()) return Pin(session, pin_name, pin_id, check);

  auto client = MakeControlPlaneClient(session);
  if (!client.ok()) return ReportError(client.error());
  auto catalog = LoadSessionCatalog(session, **client, refresh);
  if (!catalog.ok()) return ReportError(catalog.error());
  std::vector<ConfiguredModel> configured = ConfiguredModels(session);

  if (json) {
    Json profiles = Json::array();
    for (const auto& p : catalog->profiles) {
      Json j = InferenceProfileToJson(p);
      Json regions = Json::array();
      for (const auto& a : p.model_arns) regions.push_back(RegionFromArn(a));
      j["regions"] = regions;
      j["usedBy"] = UsedBy(configured, p.id, p.arn);
      profiles.push_back(j);
    }
    Json models = Json::array();
    for (const auto& m : catalog->models) {
      Json j = FoundationModelToJson(m);
      j["usedBy"] = UsedBy(configured, m.id, m.arn);
      models.push_back(j);
    }
    Json conf = Json::array();
    for (const auto& c : configured) {
      const InferenceProfileInfo* p = catalog->FindProfile(c.model_id);
      const FoundationModelInfo* m = catalog->FindModel(c.model_id);
      conf.push_back({{"role", c.role},
                      {"modelId", c.model_id},
                      {"origin", c.origin},
                      {"pinned", c.pinned},
                      {"inCatalog", p != nullptr || m != nullptr},
                      {"underlyingModel", UnderlyingFoundationModel(*catalog, c.model_id)}});
    }
    Json out = {{"region", session.connection().region},
                {"fromCache", catalog->from_cache},
                {"profiles", profiles},
                {"foundationModels", models},
                {"configured", conf}};
    std::string text = out.dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }

  std::printf("Bedrock models in %s%s\n\n", session.connection().region.c_str(),
              catalog->from_cache ? " (cached; --refresh to fetch again)" : "");
  std::vector<std::vector<std::string>> rows = {
      {"ID", "NAME", "TYPE", "STATUS", "REGIONS", "USED BY"}};
  for (const auto& p : catalog->profiles) {
    std::string type = p.type == "APPLICATION" ? "application profile" : "cross-region profile";
    rows.push_back({p.type == "APPLICATION" ? p.arn : p.id, p.name, type, p.status,
                    Regions(p.model_arns), UsedBy(configured, p.id, p.arn)});
  }
  for (const auto& m : catalog->models) {
    rows.push_back({m.id, m.name, "foundation model", m.status, RegionFromArn(m.arn),
                    UsedBy(configured, m.id, m.arn)});
  }
  PrintTable(rows);
  std::printf("\n");
  for (const auto& c : configured) {
    bool known = catalog->FindProfile(c.model_id) || catalog->FindModel(c.model_id);
    std::printf("%-7s %s%s  · %s\n", c.role.c_str(), c.model_id.c_str(),
                known ? "" : "  (NOT OFFERED IN THIS REGION)", c.origin.c_str());
  }
  std::printf("\nPin one: brock models --pin sonnet|haiku|opus|default ID\n");
  return 0;
}

}  // namespace brock
