#include "settings/settings.h"

#include <algorithm>
#include <nlohmann/json.hpp>

#include "base/error_codes.h"
#include "base/strings.h"

namespace brock {

namespace {

// One settings source, ready to be merged.
struct SettingsSource {
  std::string origin;  // file path, or "--settings" for inline JSON
  SettingsScope scope;
  std::string root_dir;
  bool required = false;  // a missing file is an error (the --settings path)
  std::optional<std::string> inline_text;
};

SettingsSource Source(std::string origin, SettingsScope scope, std::string root_dir,
                      bool required = false, std::optional<std::string> inline_text = {}) {
  return SettingsSource{std::move(origin), scope, std::move(root_dir), required,
                        std::move(inline_text)};
}

Error InvalidKey(const std::string& origin, const std::string& key, const std::string& want,
                 const Json& found) {
  return MakeError(
      "settings.invalid",
      origin + ": \"" + key + "\" must be " + want + ", found " + std::string(found.type_name()),
      "edit " + origin + " so that \"" + key + "\" is " + want +
          " (or remove the key), then run brock again");
}

// Records a wrong-typed value as a warning: it is skipped, the rest of the file applies.
void Skip(Settings& out, const Error& e) {
  out.warnings.push_back(e.message + "; the value is ignored (" + e.fix + ")");
}

// Reads and parses one source. nullopt when an optional file does not exist.
Result<std::optional<Json>> ReadSource(const Env& env, const SettingsSource& source) {
  std::string text;
  if (source.inline_text) {
    text = *source.inline_text;
  } else {
    FileInfo info = env.Stat(source.origin);
    if (!info.exists) {
      if (!source.required) return std::optional<Json>();
      return MakeError("settings.not_found", "--settings file " + source.origin + " does not exist",
                       "pass the path of an existing settings file, or inline JSON starting "
                       "with '{'");
    }
    if (info.is_directory) {
      return MakeError("settings.unreadable",
                       "cannot read settings file " + source.origin + ": it is a directory",
                       "remove or rename the directory " + source.origin);
    }
    Result<std::string> read = env.ReadFile(source.origin);
    if (!read.ok()) {
      if (errc::Is(read.error(), errc::kIoNotFound) && !source.required)
        return std::optional<Json>();
      return MakeError("settings.unreadable",
                       "cannot read " + std::string(SettingsScopeName(source.scope)) +
                           " settings: " + read.error().message,
                       "make " + source.origin + " readable by your user (chmod u+r " +
                           QuoteForDisplay(source.origin) + ") or remove it");
    }
    text = std::move(read.value());
  }
  if (Trim(text).empty()) return std::optional<Json>(Json::object());  // empty file = {}
  Result<Json> parsed = ParseJson(text, source.origin);
  if (!parsed.ok()) {
    Error err = std::move(parsed).error();
    const bool limit = err.code != "json.syntax";  // too deep or too large: keep its own fix
    err.code = "settings.syntax";
    if (!limit)
      err.fix = "fix the JSON at that position in " +
                (source.inline_text ? std::string("the --settings argument") : source.origin) +
                " (settings files are strict JSON: no comments, no trailing commas; a missing "
                "comma, quote or brace is the usual cause), then run brock again";
    return err;
  }
  if (!parsed.value().is_object()) {
    return MakeError("settings.invalid",
                     source.origin + ": the top level must be a JSON object, found " +
                         std::string(parsed.value().type_name()),
                     "wrap the settings of " + source.origin +
                         " in { ... }, for example "
                         "{\"env\": {\"AWS_REGION\": \"us-east-1\"}}");
  }
  return std::optional<Json>(std::move(parsed.value()));
}

// A string-valued scalar key; error when present with another type.
Status ReadString(const Json& object, const char* key, const std::string& origin,
                  const std::string& display_key, std::optional<std::string>* value,
                  std::string* value_origin) {
  auto it = object.find(key);
  if (it == object.end()) return {};
  if (!it->is_string()) return InvalidKey(origin, display_key, "a string", *it);
  *value = it->get<std::string>();
  *value_origin = origin;
  return {};
}

Status MergeEnv(const Json& file, const std::string& origin, Settings& out) {
  auto it = file.find("env");
  if (it == file.end()) return {};
  if (!it->is_object()) {
    Skip(out, InvalidKey(origin, "env", "an object of strings", *it));
    return {};
  }
  for (const auto& [name, value] : it->items()) {
    if (name.empty() || name.find('=') != std::string::npos ||
        name.find('\0') != std::string::npos) {
      Skip(out, MakeError("settings.invalid",
                          origin + ": \"env\" has an invalid variable name \"" + name + "\"",
                          "use a name without '=' (for example AWS_REGION)"));
      continue;
    }
    std::optional<std::string> text;
    if (value.is_string()) {
      std::string s = value.get<std::string>();
      if (!s.empty()) text = std::move(s);
    } else if (value.is_number() || value.is_boolean()) {
      text = value.dump();  // 1 -> "1", true -> "true"
    } else if (!value.is_null()) {
      Skip(out, InvalidKey(origin, "env." + name, "a string", value));
      continue;
    }
    out.env[name] = {std::move(text), origin};
  }
  return {};
}

Status StringArray(const Json& object, const char* key, const std::string& origin,
                   const std::string& display_key, std::vector<std::string>* out) {
  auto it = object.find(key);
  if (it == object.end()) return {};
  if (!it->is_array()) return InvalidKey(origin, display_key, "an array of strings", *it);
  for (size_t i = 0; i < it->size(); ++i) {
    const Json& item = (*it)[i];
    if (!item.is_string()) {
      return InvalidKey(origin, display_key + "[" + std::to_string(i) + "]", "a string", item);
    }
    out->push_back(item.get<std::string>());
  }
  return {};
}

Status MergePermissions(const Json& file, const SettingsSource& source, Settings& out) {
  auto it = file.find("permissions");
  if (it == file.end()) return {};
  const std::string& origin = source.origin;
  if (!it->is_object()) {
    Skip(out, InvalidKey(origin, "permissions", "an object", *it));
    return {};
  }
  for (const char* list : {"allow", "ask", "deny"}) {
    std::vector<std::string> rules;
    if (Status s = StringArray(*it, list, origin, std::string("permissions.") + list, &rules);
        !s.ok()) {
      Skip(out, s.error());
      continue;
    }
    for (std::string& rule : rules) {
      out.permission_rules.push_back(
          PermissionRule{std::move(rule), list, origin, source.root_dir, source.scope});
    }
  }
  if (Status s = ReadString(*it, "defaultMode", origin, "permissions.defaultMode",
                            &out.default_mode, &out.default_mode_origin);
      !s.ok()) {
    Skip(out, s.error());
  }
  std::vector<std::string> dirs;
  if (Status s = StringArray(*it, "additionalDirectories", origin,
                             "permissions.additionalDirectories", &dirs);
      !s.ok()) {
    Skip(out, s.error());
    dirs.clear();
  }
  for (std::string& dir : dirs) {
    auto& all = out.additional_directories;
    if (std::find(all.begin(), all.end(), dir) == all.end()) all.push_back(std::move(dir));
  }
  return {};
}

Status ReadBool(const Json& object, const char* key, const std::string& origin, bool* value,
                std::string* value_origin) {
  auto it = object.find(key);
  if (it == object.end()) return {};
  if (!it->is_boolean()) return InvalidKey(origin, key, "true or false", *it);
  *value = it->get<bool>();
  *value_origin = origin;
  return {};
}

// The managed-only keys (and disableBypassPermissionsMode, from any file).
Status MergePolicy(const Json& file, const SettingsSource& source, ManagedPolicy& policy) {
  const std::string& origin = source.origin;
  if (auto p = file.find("permissions"); p != file.end() && p->is_object()) {
    if (auto it = p->find("disableBypassPermissionsMode"); it != p->end()) {
      if (!it->is_string()) {
        return InvalidKey(origin, "permissions.disableBypassPermissionsMode",
                          "the string \"disable\"", *it);
      }
      if (it->get<std::string>() == "disable") {
        policy.disable_bypass = true;
        policy.disable_bypass_origin = origin;
      }
    }
  }
  if (source.scope != SettingsScope::kManaged) return {};
  if (Status s = ReadBool(file, "allowManagedPermissionRulesOnly", origin,
                          &policy.permission_rules_only, &policy.permission_rules_only_origin);
      !s.ok()) {
    return s;
  }
  if (Status s = ReadBool(file, "allowManagedHooksOnly", origin, &policy.hooks_only,
                          &policy.hooks_only_origin);
      !s.ok()) {
    return s;
  }
  if (file.contains("availableModels")) {
    std::vector<std::string> models;
    if (Status s = StringArray(file, "availableModels", origin, "availableModels", &models);
        !s.ok()) {
      return s;
    }
    policy.available_models = std::move(models);  // a later managed file replaces the list
    policy.available_models_origin = origin;
  }
  return {};
}

// A value of the wrong type is skipped with a warning naming the file and the key, as Claude Code
// does; the rest of the file still applies.
Status MergeFile(const Json& file, const SettingsSource& source, Settings& out) {
  const std::string& origin = source.origin;
  auto keep = [&out](Status s) {
    if (!s.ok()) Skip(out, s.error());
  };
  // Organisation policy of the wrong type fails closed: an error, not a skipped value.
  if (Status s = MergePolicy(file, source, out.policy); !s.ok()) return s;
  keep(MergeEnv(file, origin, out));
  keep(ReadString(file, "model", origin, "model", &out.model, &out.model_origin));
  keep(MergePermissions(file, source, out));
  keep(ReadString(file, "awsAuthRefresh", origin, "awsAuthRefresh", &out.aws_auth_refresh,
                  &out.aws_auth_refresh_origin));
  keep(ReadString(file, "awsCredentialExport", origin, "awsCredentialExport",
                  &out.aws_credential_export, &out.aws_credential_export_origin));
  if (auto it = file.find("autoCompactEnabled"); it != file.end()) {
    if (it->is_boolean()) {
      out.auto_compact_enabled = it->get<bool>();
    } else {
      Skip(out, InvalidKey(origin, "autoCompactEnabled", "true or false", *it));
    }
  }
  keep(ReadHooksBlock(file, origin, source.scope, &out.hooks, &out.hook_notes));
  bool disable_hooks = false;
  std::string disable_origin;
  keep(ReadBool(file, "disableAllHooks", origin, &disable_hooks, &disable_origin));
  if (disable_hooks && (!out.disable_all_hooks || source.scope == SettingsScope::kManaged)) {
    out.disable_all_hooks = true;
    out.disable_all_hooks_origin = origin;
  }
  return {};
}

bool IsManagedOrigin(const std::vector<SettingsSource>& sources, const std::string& origin) {
  for (const SettingsSource& s : sources) {
    if (s.origin == origin) return s.scope == SettingsScope::kManaged;
  }
  return false;
}

}  // namespace

void MergeSettingsJson(Json& lower, const Json& higher) {
  if (lower.is_object() && higher.is_object()) {
    for (const auto& [key, value] : higher.items()) {
      auto it = lower.find(key);
      if (it == lower.end()) {
        lower[key] = value;
      } else {
        MergeSettingsJson(*it, value);
      }
    }
    return;
  }
  if (lower.is_array() && higher.is_array()) {
    for (const Json& item : higher) {
      if (std::find(lower.begin(), lower.end(), item) == lower.end()) lower.push_back(item);
    }
    return;
  }
  lower = higher;
}

Result<Settings> LoadSettings(const Env& env, const SettingsOptions& options) {
  std::string cwd = NormalizePath(env.CurrentDir(), options.cwd);  // "" -> CurrentDir()
  std::string home = env.HomeDir();
  ProjectLocation project = FindProject(env, cwd);
  std::string session_root = project.root.empty() ? cwd : project.root;

  // Lowest precedence first.
  std::vector<SettingsSource> sources;
  auto wanted = [&options](const char* name) {
    if (!options.sources) return true;
    for (const std::string& s : *options.sources) {
      if (s == name) return true;
    }
    return false;
  };
  if (wanted("user")) sources.push_back(Source(UserSettingsPath(env), SettingsScope::kUser, home));
  if (!project.root.empty() && (wanted("project") || wanted("local"))) {
    std::string claude = JoinPath(project.root, ".claude");
    if (wanted("project")) {
      sources.push_back(
          Source(JoinPath(claude, "settings.json"), SettingsScope::kProject, project.root));
    }
    if (wanted("local")) {
      sources.push_back(
          Source(JoinPath(claude, "settings.local.json"), SettingsScope::kLocal, project.root));
    }
  }
  if (!options.cli_settings.empty()) {
    std::string_view arg = Trim(options.cli_settings);
    if (StartsWith(arg, "{")) {
      sources.push_back(Source("--settings", SettingsScope::kCommandLine, session_root, true,
                               options.cli_settings));
    } else {
      std::string path = NormalizePath(cwd, ExpandHome(env, options.cli_settings));
      sources.push_back(Source(path, SettingsScope::kCommandLine, session_root, true));
    }
  }
  for (std::string& path : ManagedSettingsPaths(env, options.managed_dir)) {
    sources.push_back(Source(std::move(path), SettingsScope::kManaged, session_root));
  }

  Settings settings;
  settings.project_root = project.root;
  settings.git_root = project.git_root;
  settings.project_trusted = options.project_trusted;
  auto merged = std::make_shared<Json>(Json::object());
  for (const SettingsSource& source : sources) {
    Result<std::optional<Json>> read = ReadSource(env, source);
    if (!read.ok()) return std::move(read).error();
    if (!read.value()) continue;
    Json& file = *read.value();
    bool from_project =
        source.scope == SettingsScope::kProject || source.scope == SettingsScope::kLocal;
    if (from_project && !options.project_trusted) {
      RestrictUntrustedProjectFile(file, source.origin, &settings.ignored);
    }
    if (Status s = MergeFile(file, source, settings); !s.ok()) return std::move(s).error();
    MergeSettingsJson(*merged, file);
    settings.files_loaded.push_back(source.origin);
  }
  if (settings.policy.permission_rules_only) {
    auto& rules = settings.permission_rules;
    rules.erase(
        std::remove_if(rules.begin(), rules.end(),
                       [](const PermissionRule& r) { return r.scope != SettingsScope::kManaged; }),
        rules.end());
  }
  // disableAllHooks: from a managed file it turns off every hook; from any other file every
  // hook but the managed ones. allowManagedHooksOnly keeps only the managed hooks.
  auto& hooks = settings.hooks;
  if (settings.disable_all_hooks) {
    bool managed_disable = IsManagedOrigin(sources, settings.disable_all_hooks_origin);
    hooks.erase(std::remove_if(hooks.begin(), hooks.end(),
                               [&](const HookCommand& h) {
                                 return managed_disable || h.scope != SettingsScope::kManaged;
                               }),
                hooks.end());
  }
  if (settings.policy.hooks_only) {
    hooks.erase(
        std::remove_if(hooks.begin(), hooks.end(),
                       [](const HookCommand& h) { return h.scope != SettingsScope::kManaged; }),
        hooks.end());
  }
  settings.merged = std::move(merged);
  return settings;
}

void ApplySettingsEnv(const Settings& settings, Env& env) {
  for (const auto& [name, entry] : settings.env) {
    const auto& [value, origin] = entry;
    if (value) {
      env.SetVar(name, *value, origin);
    } else {
      env.UnsetVar(name, origin);
    }
  }
}

}  // namespace brock
