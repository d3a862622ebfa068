// Small string helpers used across layers. All operate on bytes (UTF-8 passes through).
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace brock {

bool StartsWith(std::string_view s, std::string_view prefix);
bool EndsWith(std::string_view s, std::string_view suffix);
// ASCII whitespace (space, tab, CR, LF, VT, FF) trimmed from both ends.
std::string_view Trim(std::string_view s);
std::string ToLower(std::string_view s);
// Splits on every `sep`; "a,,b" -> {"a", "", "b"}; "" -> {""}.
std::vector<std::string> Split(std::string_view s, char sep);
std::string Join(const std::vector<std::string>& parts, std::string_view sep);
// Replaces every occurrence of `from` (non-empty) with `to`.
std::string ReplaceAll(std::string_view s, std::string_view from, std::string_view to);
// Lowercase hex of the bytes.
std::string HexEncode(std::string_view bytes);
// RFC 4648 base64 with padding.
std::string Base64Encode(std::string_view bytes);
// Decodes base64 (padding optional, no whitespace); false on invalid input.
bool Base64Decode(std::string_view text, std::string* out);
// Shell-style quoting for display only ('it'"'"'s'); never used to build commands to run.
std::string QuoteForDisplay(std::string_view s);

}  // namespace brock
