// The AWS shared config files (~/.aws/config and ~/.aws/credentials) in the INI dialect every
// AWS SDK reads, parsed exactly as the cross-SDK test suite specifies
// (testdata/aws-config/config-file-parser-tests.json):
//
//   [default]                        config: the default profile ("[profile default]" wins over it)
//   [profile NAME]                   config: a profile (whitespace after "profile" required)
//   [NAME]                           credentials: a profile ("[profile NAME]" there is ignored)
//   [sso-session NAME] [services NAME]   config only
//   key = value                      key lowercased, both trimmed; " #"/" ;" starts a comment
//     continued                      an indented line continues the value ("value\ncontinued")
//   key =                            an empty value followed by indented "sub = value" lines
//     sub = value                    makes sub-properties (services sections use these)
//   # or ; at the start of a line    a comment
//
// Names with characters outside [A-Za-z0-9_\-/.%@:+] are ignored (the SDKs warn and skip them),
// so are config sections without a known prefix. Duplicate sections merge; within a file the
// last value of a key wins; between files the credentials file wins.
// Syntax errors name the file and line and say how to fix it (code "config.syntax").
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include "base/env.h"
#include "base/error.h"

namespace brock {

struct ProfileSection {
  std::string name;
  std::map<std::string, std::string> properties;  // lowercase key -> value
  // "key =" followed by indented "sub = value" lines: properties[key] is "" and
  // sub_properties[key][sub] holds the values.
  std::map<std::string, std::map<std::string, std::string>> sub_properties;
  // lowercase key -> the file that set it (for messages: "region in /home/me/.aws/config").
  std::map<std::string, std::string> origins;

  // The value of `key` (lowercase), or nullopt.
  std::optional<std::string> Get(std::string_view key) const;
  // The file that set `key`, or "" when the key is absent.
  std::string Origin(std::string_view key) const;
};

struct AwsConfig {
  std::map<std::string, ProfileSection>
      profiles;  // merged config + credentials (credentials win per key)
  std::map<std::string, ProfileSection> sso_sessions;  // [sso-session NAME]
  std::map<std::string, ProfileSection> services;      // [services NAME]
  std::string config_path, credentials_path;           // files used (may not exist)

  // The profile named `profile`, or nullptr.
  const ProfileSection* Find(std::string_view profile) const;
  // The value of `key` in `profile`, or nullopt when either is missing.
  std::optional<std::string> Get(std::string_view profile, std::string_view key) const;
  // The [services NAME] section the profile points to with `services = NAME`, or nullptr.
  const ProfileSection* ServicesFor(std::string_view profile) const;
};

// Parses the two files' text. The paths only label messages and fill config_path /
// credentials_path. Errors: code "config.syntax", message "<path> line <n>: <what>", and a fix.
Result<AwsConfig> ParseAwsConfig(std::string_view config_text, std::string_view credentials_text,
                                 std::string_view config_path = "~/.aws/config",
                                 std::string_view credentials_path = "~/.aws/credentials");

// Where the files are: AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE ("~/" expanded), else
// <home>/.aws/config and <home>/.aws/credentials, home being $HOME, else Env::HomeDir().
std::string ConfigFilePath(const Env& env);
std::string CredentialsFilePath(const Env& env);

// Reads and parses both files. A missing file counts as empty; an unreadable one is an Error
// ("config.unreadable").
Result<AwsConfig> LoadAwsConfig(const Env& env);

// The selected profile: AWS_PROFILE, else AWS_DEFAULT_PROFILE (both ignored when empty), else
// "default".
std::string ActiveProfileName(const Env& env);

struct ProfileSelection {
  std::string name;
  std::string
      origin;  // "AWS_PROFILE (from <VarOrigin>)", "AWS_DEFAULT_PROFILE (from ...)", "default"
  bool explicit_ = false;  // true when a variable chose it
};
// ActiveProfileName with where the choice came from.
ProfileSelection SelectProfile(const Env& env);

// Which kind of credentials a profile holds, by the SDKs' priority: "assumeRole" (role_arn),
// "webIdentity" (web_identity_token_file), "sso" (sso_session / sso_start_url), "process"
// (credential_process), "session" (key id, secret and session token), "basic" (key id and
// secret), or "" when none.
std::string ProfileCredentialType(const ProfileSection& profile);

}  // namespace brock
