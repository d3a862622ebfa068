#include "mcp/mcp_content.h"

#include <nlohmann/json.hpp>

namespace brock {

namespace {

std::string Str(const Json& o, const char* key) {
  return o.is_object() && o.contains(key) && o[key].is_string() ? o[key].get<std::string>()
                                                                : std::string();
}

// An embedded resource ({"uri", "text"} or {"uri", "blob"}) as text.
std::string ResourceText(const Json& resource) {
  if (resource.contains("text") && resource["text"].is_string()) {
    return resource["text"].get<std::string>();
  }
  std::string mime = Str(resource, "mimeType");
  return "[binary resource " + Str(resource, "uri") + (mime.empty() ? "" : " (" + mime + ")") +
         " not shown]";
}

bool IsImageType(const std::string& mime) {
  return mime == "image/png" || mime == "image/jpeg" || mime == "image/gif" || mime == "image/webp";
}

}  // namespace

McpToolOutput McpToolResultToContent(const Json& result, int64_t max_tokens) {
  McpToolOutput out;
  if (!result.is_object()) {
    out.content.push_back({{"type", "text"}, {"text", result.dump()}});
    return out;
  }
  out.is_error =
      result.contains("isError") && result["isError"].is_boolean() && result["isError"].get<bool>();
  std::vector<Json> blocks;
  if (result.contains("content") && result["content"].is_array()) {
    for (const Json& item : result["content"]) {
      std::string type = Str(item, "type");
      if (type == "text") {
        blocks.push_back({{"type", "text"}, {"text", Str(item, "text")}});
      } else if (type == "image") {
        std::string mime = Str(item, "mimeType");
        if (IsImageType(mime) && !Str(item, "data").empty()) {
          blocks.push_back(
              {{"type", "image"},
               {"source",
                {{"type", "base64"}, {"media_type", mime}, {"data", Str(item, "data")}}}});
        } else {
          blocks.push_back(
              {{"type", "text"}, {"text", "[image (" + mime + ") not shown: unsupported type]"}});
        }
      } else if (type == "audio") {
        blocks.push_back(
            {{"type", "text"}, {"text", "[audio (" + Str(item, "mimeType") + ") not shown]"}});
      } else if (type == "resource" && item.contains("resource") && item["resource"].is_object()) {
        blocks.push_back({{"type", "text"}, {"text", ResourceText(item["resource"])}});
      } else if (type == "resource_link") {
        std::string line = "Resource: " + Str(item, "uri");
        if (!Str(item, "name").empty()) line += " (" + Str(item, "name") + ")";
        if (!Str(item, "description").empty()) line += ": " + Str(item, "description");
        blocks.push_back({{"type", "text"}, {"text", line}});
      }
    }
  }
  if (blocks.empty() && result.contains("structuredContent")) {
    blocks.push_back({{"type", "text"}, {"text", result["structuredContent"].dump()}});
  }
  if (blocks.empty()) {
    blocks.push_back(
        {{"type", "text"}, {"text", out.is_error ? "(error without details)" : "(no content)"}});
  }
  // The token budget: about 4 characters a token.
  int64_t budget_chars = max_tokens > 0 ? max_tokens * 4 : INT64_MAX;
  int64_t used = 0;
  int64_t total = 0;
  for (const Json& b : blocks) {
    total += b["type"] == "text"
                 ? static_cast<int64_t>(b["text"].get_ref<const std::string&>().size())
                 : static_cast<int64_t>(b["source"]["data"].get_ref<const std::string&>().size());
  }
  for (Json& b : blocks) {
    if (used >= budget_chars) {
      out.truncated = true;
      break;
    }
    if (b["type"] == "text") {
      std::string& text = b["text"].get_ref<std::string&>();
      int64_t room = budget_chars - used;
      if (static_cast<int64_t>(text.size()) > room) {
        size_t cut = static_cast<size_t>(room);
        while (cut > 0 && (static_cast<unsigned char>(text[cut]) & 0xC0) == 0x80) --cut;
        text.resize(cut);
        out.truncated = true;
      }
      used += static_cast<int64_t>(text.size());
      out.content.push_back(std::move(b));
      if (out.truncated) break;
    } else {
      int64_t size = static_cast<int64_t>(b["source"]["data"].get_ref<const std::string&>().size());
      if (used + size > budget_chars) {
        out.truncated = true;
        break;
      }
      used += size;
      out.content.push_back(std::move(b));
    }
  }
  if (out.truncated) {
    out.content.push_back(
        {{"type", "text"},
         {"text", "[Output truncated: the MCP tool's result was about " +
                      std::to_string(total / 4) +
                      " tokens, more than MAX_MCP_OUTPUT_TOKENS=" + std::to_string(max_tokens) +
                      ". Ask the tool for less (a narrower query, a page), or the user can raise "
                      "MAX_MCP_OUTPUT_TOKENS.]"}});
  }
  return out;
}

std::string McpPromptMessagesText(const Json& result) {
  std::string out;
  if (!result.is_object() || !result.contains("messages") || !result["messages"].is_array()) {
    return out;
  }
  for (const Json& m : result["messages"]) {
    if (!m.is_object() || !m.contains("content")) continue;
    std::vector<Json> items;
    if (m["content"].is_array()) {
      for (const Json& c : m["content"]) items.push_back(c);
    } else {
      items.push_back(m["content"]);
    }
    for (const Json& c : items) {
      std::string type = Str(c, "type");
      std::string piece;
      if (type == "text") {
        piece = Str(c, "text");
      } else if (type == "resource" && c.contains("resource") && c["resource"].is_object()) {
        piece = ResourceText(c["resource"]);
      } else if (type == "resource_link") {
        piece = "Resource: " + Str(c, "uri");
      } else if (!type.empty()) {
        piece = "[" + type + " content not shown]";
      }
      if (piece.empty()) continue;
      if (!out.empty()) out += "\n\n";
      out += piece;
    }
  }
  return out;
}

std::string McpResourceText(const Json& result) {
  std::string out;
  if (!result.is_object() || !result.contains("contents") || !result["contents"].is_array()) {
    return out;
  }
  for (const Json& c : result["contents"]) {
    if (!c.is_object()) continue;
    if (!out.empty()) out += "\n";
    out += ResourceText(c);
  }
  return out;
}

}  // namespace brock
