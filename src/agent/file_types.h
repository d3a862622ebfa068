// File types for Grep's `type` input: ripgrep's built-in type table (`rg --type-list`), so
// `type: "py"` selects the same files as `rg --type py`.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace brock {

// The file-name globs of type `name` ("rust" -> {"*.rs"}), or an empty list when the type is
// unknown. Globs match the base name of a file.
std::vector<std::string> FileTypeGlobs(std::string_view name);

// All known type names, sorted (for error messages).
std::vector<std::string> FileTypeNames();

}  // namespace brock
