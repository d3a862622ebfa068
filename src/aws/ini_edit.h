// Editing the shared AWS files (~/.aws/config, ~/.aws/credentials) the way `aws configure set`
// does: one section's keys set, everything else in the file (other sections, comments, blank
// lines, the order of keys) kept byte for byte.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace brock {

// `text` with section `[header]` ("profile dev", "dev", "sso-session corp") holding `values`:
// each key already in the section gets its new value in place, new keys are appended to the
// section, and a missing section is appended at the end of the file. Keys compare
// case-insensitively; an empty value removes the key.
std::string SetIniSection(std::string_view text, std::string_view header,
                          const std::vector<std::pair<std::string, std::string>>& values);

// The section header of `profile` in the config file: "default" or "profile NAME".
std::string ConfigProfileHeader(std::string_view profile);

// True for a profile name the AWS files can hold: letters, digits and "-_.@+", 1-64 characters.
bool IsValidProfileName(std::string_view profile);

}  // namespace brock
