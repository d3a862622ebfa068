#include "aws/config_file.h"

#include <vector>

#include "base/strings.h"

namespace brock {
namespace {

bool IsBlank(char c) { return c == ' ' || c == '\t'; }

// Trims spaces and tabs (the INI dialect's whitespace; '\r' is removed with the line end).
std::string_view TrimBlanks(std::string_view s) {
  while (!s.empty() && IsBlank(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsBlank(s.back())) s.remove_suffix(1);
  return s;
}

bool IsValidName(std::string_view name) {
  if (name.empty()) return false;
  for (char c : name) {
    bool ok = (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '_' || c == '-' || c == '/' || c == '.' || c == '%' || c == '@' || c == ':' ||
              c == '+';
    if (!ok) return false;
  }
  return true;
}

// Strips a " #..." or " ;..." comment (the comment character must follow whitespace).
std::string_view StripValueComment(std::string_view v) {
  for (size_t i = 1; i < v.size(); ++i) {
    if ((v[i] == '#' || v[i] == ';') && IsBlank(v[i - 1])) return v.substr(0, i);
  }
  return v;
}

enum class SectionKind { kProfile, kSsoSession, kServices };

// One section as written in one file, before merging.
struct RawSection {
  SectionKind kind = SectionKind::kProfile;
  std::string name;
  bool prefixed = false;  // "[profile default]" rather than "[default]"
  ProfileSection data;
};

struct FileParse {
  std::vector<RawSection> sections;
};

// A syntax error at `line` (1-based) of `path`: "<path>:<line>:<col>: <what>", where the column is
// that of the line's first non-blank character. The line's text is never quoted: in a
// credentials file it may be a secret key pasted without its "name =".
Error SyntaxError(std::string_view path, size_t line, std::string_view what, std::string_view text,
                  std::string_view fix) {
  size_t column = text.find_first_not_of(" \t");
  column = column == std::string_view::npos ? 1 : column + 1;
  return MakeError(
      "config.syntax",
      std::string(path) + ":" + std::to_string(line) + ":" + std::to_string(column) + ": " +
          std::string(what),
      "edit " + std::string(path) + " line " + std::to_string(line) + ": " + std::string(fix));
}

// Parses one file. `is_config` selects the config dialect ("[profile x]") over the credentials
// dialect ("[x]").
Result<FileParse> ParseFile(std::string_view text, std::string_view path, bool is_config) {
  FileParse out;
  bool in_section = false;        // a section header was seen (valid or not)
  RawSection* current = nullptr;  // null when the section is ignored
  std::string property;           // the current property (for continuations), "" when none
  bool property_seen = false;     // a property line was seen in this section (even an ignored one)
  bool sub_property_mode = false;

  size_t line_no = 0;
  size_t pos = 0;
  while (pos <= text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);

    std::string_view trimmed = TrimBlanks(line);
    if (trimmed.empty() || trimmed[0] == '#' || trimmed[0] == ';') continue;

    if (IsBlank(line[0])) {  // continuation or sub-property
      if (!in_section) {
        return SyntaxError(
            path, line_no, "Expected a profile definition, found an indented line", line,
            "start the file with a section such as [default] or [profile NAME], and do "
            "not indent property lines");
      }
      if (!property_seen) {
        return SyntaxError(
            path, line_no, "Expected a property definition, found continuation", line,
            "an indented line continues the property above it; write it as key = value "
            "without leading whitespace");
      }
      if (property.empty()) continue;  // continuing an ignored property
      if (sub_property_mode) {
        size_t eq = trimmed.find('=');
        if (eq == std::string_view::npos) {
          return SyntaxError(
              path, line_no, "Expected an '=' sign defining a property in sub-property", line,
              "write the sub-property as  name = value  (indented under \"" + property + " =\")");
        }
        std::string_view key = TrimBlanks(trimmed.substr(0, eq));
        if (key.empty()) {
          return SyntaxError(path, line_no, "Property did not have a name in sub-property", line,
                             "put a name before the '=' sign");
        }
        if (!current) continue;
        // The first indented line makes the property a sub-property map, even if its name is
        // then ignored as invalid (as the SDKs do, with a warning).
        auto& subs = current->data.sub_properties[property];
        if (IsValidName(key)) subs[ToLower(key)] = std::string(TrimBlanks(trimmed.substr(eq + 1)));
      } else if (current) {
        std::string& value = current->data.properties[property];
        value += '\n';
        value += trimmed;
      }
      continue;
    }

    if (line[0] == '[') {
      std::string_view decl = line;
      // Strip a comment after the closing bracket; names cannot contain '#' or ';'.
      size_t comment = decl.find_first_of("#;");
      if (comment != std::string_view::npos) decl = decl.substr(0, comment);
      decl = TrimBlanks(decl);
      if (decl.size() < 2 || decl.back() != ']') {
        return SyntaxError(path, line_no, "Profile definition must end with ']'", line,
                           "close the section name with ']', e.g. [profile NAME]");
      }
      std::string_view inner = TrimBlanks(decl.substr(1, decl.size() - 2));
      in_section = true;
      property.clear();
      property_seen = false;
      sub_property_mode = false;
      current = nullptr;

      RawSection section;
      std::string_view name = inner;
      if (is_config) {
        auto prefixed = [&](std::string_view prefix, std::string_view* rest) {
          if (!StartsWith(inner, prefix) || inner.size() == prefix.size() ||
              !IsBlank(inner[prefix.size()])) {
            return false;
          }
          *rest = TrimBlanks(inner.substr(prefix.size()));
          return true;
        };
        if (prefixed("profile", &name)) {
          section.kind = SectionKind::kProfile;
          section.prefixed = true;
        } else if (prefixed("sso-session", &name)) {
          section.kind = SectionKind::kSsoSession;
        } else if (prefixed("services", &name)) {
          section.kind = SectionKind::kServices;
        } else if (inner == "default") {
          section.kind = SectionKind::kProfile;
        } else {
          continue;  // a config section without a known prefix: ignored
        }
      } else {
        if (StartsWith(inner, "profile") && inner.size() > 7 && IsBlank(inner[7]))
          continue;  // ignored
      }
      if (!IsValidName(name)) continue;  // ignored
      section.name = std::string(name);
      section.data.name = section.name;
      out.sections.push_back(std::move(section));
      current = &out.sections.back();
      continue;
    }

    // A property line.
    if (!in_section) {
      return SyntaxError(
          path, line_no, "Expected a profile definition", line,
          "put properties under a section header such as [default] or [profile NAME]");
    }
    size_t eq = line.find('=');
    if (eq == std::string_view::npos) {
      return SyntaxError(path, line_no, "Expected an '=' sign defining a property", line,
                         "write properties as  key = value");
    }
    std::string_view key = TrimBlanks(line.substr(0, eq));
    if (key.empty()) {
      return SyntaxError(path, line_no, "Property did not have a name", line,
                         "put a name before the '=' sign");
    }
    property_seen = true;
    std::string_view value = TrimBlanks(StripValueComment(TrimBlanks(line.substr(eq + 1))));
    if (!IsValidName(key)) {
      property.clear();  // ignored; its continuation lines are ignored with it
      sub_property_mode = false;
      continue;
    }
    property = ToLower(key);
    sub_property_mode = value.empty();
    if (current) {
      current->data.properties[property] = std::string(value);
      current->data.origins[property] = std::string(path);
      current->data.sub_properties.erase(property);
    }
  }
  return out;
}

void MergeInto(ProfileSection& into, const ProfileSection& from) {
  for (const auto& [k, v] : from.properties) {
    into.properties[k] = v;
    auto o = from.origins.find(k);
    if (o != from.origins.end()) into.origins[k] = o->second;
    auto s = from.sub_properties.find(k);
    if (s != from.sub_properties.end()) {
      into.sub_properties[k] = s->second;
    } else {
      into.sub_properties.erase(k);
    }
  }
}

ProfileSection& Slot(std::map<std::string, ProfileSection>& m, const std::string& name) {
  ProfileSection& s = m[name];
  s.name = name;
  return s;
}

}  // namespace

std::optional<std::string> ProfileSection::Get(std::string_view key) const {
  auto it = properties.find(std::string(key));
  if (it == properties.end()) return std::nullopt;
  return it->second;
}

std::string ProfileSection::Origin(std::string_view key) const {
  auto it = origins.find(std::string(key));
  return it == origins.end() ? std::string() : it->second;
}

const ProfileSection* AwsConfig::Find(std::string_view profile) const {
  auto it = profiles.find(std::string(profile));
  return it == profiles.end() ? nullptr : &it->second;
}

std::optional<std::string> AwsConfig::Get(std::string_view profile, std::string_view key) const {
  const ProfileSection* p = Find(profile);
  return p ? p->Get(key) : std::nullopt;
}

const ProfileSection* AwsConfig::ServicesFor(std::string_view profile) const {
  auto name = Get(profile, "services");
  if (!name) return nullptr;
  auto it = services.find(*name);
  return it == services.end() ? nullptr : &it->second;
}

Result<AwsConfig> ParseAwsConfig(std::string_view config_text, std::string_view credentials_text,
                                 std::string_view config_path, std::string_view credentials_path) {
  auto config = ParseFile(config_text, config_path, /*is_config=*/true);
  if (!config.ok()) return std::move(config).error();
  auto creds = ParseFile(credentials_text, credentials_path, /*is_config=*/false);
  if (!creds.ok()) return std::move(creds).error();

  AwsConfig out;
  out.config_path = std::string(config_path);
  out.credentials_path = std::string(credentials_path);

  bool prefixed_default = false;
  for (const auto& s : config->sections) {
    if (s.kind == SectionKind::kProfile && s.name == "default" && s.prefixed)
      prefixed_default = true;
  }
  for (const auto& s : config->sections) {
    switch (s.kind) {
      case SectionKind::kProfile:
        if (s.name == "default" && prefixed_default && !s.prefixed)
          break;  // [profile default] wins
        MergeInto(Slot(out.profiles, s.name), s.data);
        break;
      case SectionKind::kSsoSession:
        MergeInto(Slot(out.sso_sessions, s.name), s.data);
        break;
      case SectionKind::kServices:
        MergeInto(Slot(out.services, s.name), s.data);
        break;
    }
  }
  for (const auto& s : creds->sections) MergeInto(Slot(out.profiles, s.name), s.data);
  return out;
}

namespace {

std::string AwsHome(const Env& env) {
  if (auto h = env.GetNonEmpty("HOME")) return *h;
  return env.HomeDir();
}

std::string ExpandWithHome(const Env& env, std::string_view path) {
  if (path == "~") return AwsHome(env);
  if (StartsWith(path, "~/")) return JoinPath(AwsHome(env), path.substr(2));
  return std::string(path);
}

Result<std::string> ReadIfPresent(const Env& env, const std::string& path) {
  FileInfo info = env.Stat(path);
  if (!info.exists) return std::string();
  if (info.is_directory) {
    return MakeError("config.unreadable", path + " is a directory, not an AWS config file",
                     "remove it or point the variable that names it at a file");
  }
  auto text = env.ReadFile(path);
  if (!text.ok()) {
    return MakeError("config.unreadable", "cannot read " + path + ": " + text.error().message,
                     "check the file's permissions (it should be readable by you)");
  }
  return std::move(text).value();
}

}  // namespace

std::string ConfigFilePath(const Env& env) {
  if (auto p = env.GetNonEmpty("AWS_CONFIG_FILE")) return ExpandWithHome(env, *p);
  return JoinPath(AwsHome(env), ".aws/config");
}

std::string CredentialsFilePath(const Env& env) {
  if (auto p = env.GetNonEmpty("AWS_SHARED_CREDENTIALS_FILE")) return ExpandWithHome(env, *p);
  return JoinPath(AwsHome(env), ".aws/credentials");
}

Result<AwsConfig> LoadAwsConfig(const Env& env) {
  std::string config_path = ConfigFilePath(env);
  std::string credentials_path = CredentialsFilePath(env);
  auto config = ReadIfPresent(env, config_path);
  if (!config.ok()) return std::move(config).error();
  auto creds = ReadIfPresent(env, credentials_path);
  if (!creds.ok()) return std::move(creds).error();
  return ParseAwsConfig(*config, *creds, config_path, credentials_path);
}

ProfileSelection SelectProfile(const Env& env) {
  ProfileSelection s;
  for (const char* var : {"AWS_PROFILE", "AWS_DEFAULT_PROFILE"}) {
    if (auto v = env.GetNonEmpty(var)) {
      s.name = *v;
      s.origin = std::string(var) + " (from " + env.VarOrigin(var) + ")";
      s.explicit_ = true;
      return s;
    }
  }
  s.name = "default";
  s.origin = "default";
  return s;
}

std::string ActiveProfileName(const Env& env) { return SelectProfile(env).name; }

std::string ProfileCredentialType(const ProfileSection& p) {
  auto has = [&](const char* key) {
    auto v = p.Get(key);
    return v && !v->empty();
  };
  if (has("role_arn")) return has("web_identity_token_file") ? "webIdentity" : "assumeRole";
  if (has("sso_session") || has("sso_start_url")) return "sso";
  if (has("aws_access_key_id") && has("aws_secret_access_key")) {
    return has("aws_session_token") ? "session" : "basic";
  }
  if (has("credential_process")) return "process";
  return "";
}

}  // namespace brock
