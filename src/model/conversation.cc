#include "model/conversation.h"

#include <nlohmann/json.hpp>

namespace brock {

ContentBlock ContentBlock::Text(std::string text) {
  ContentBlock b;
  b.type = BlockType::kText;
  b.text = std::move(text);
  return b;
}

ContentBlock ContentBlock::ToolUse(std::string id, std::string name, const Json& input) {
  ContentBlock b;
  b.type = BlockType::kToolUse;
  b.id = std::move(id);
  b.name = std::move(name);
  b.input = input;
  return b;
}

ContentBlock ContentBlock::ToolResult(std::string tool_use_id, std::vector<ContentBlock> content,
                                      bool is_error) {
  ContentBlock b;
  b.type = BlockType::kToolResult;
  b.id = std::move(tool_use_id);
  b.content = std::move(content);
  b.is_error = is_error;
  return b;
}

std::string_view RoleName(Role role) { return role == Role::kAssistant ? "assistant" : "user"; }

namespace {

std::string StringField(const Json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

}  // namespace

Json BlockToJson(const ContentBlock& b) {
  Json j;
  switch (b.type) {
    case BlockType::kText:
      j = {{"type", "text"}, {"text", b.text}};
      break;
    case BlockType::kImage:
      j = {{"type", "image"}, {"source", b.source.get()}};
      break;
    case BlockType::kDocument:
      j = b.raw.get().is_object() ? b.raw.get() : Json::object();
      j["type"] = "document";
      j["source"] = b.source.get();
      break;
    case BlockType::kToolUse:
      j = {{"type", "tool_use"},
           {"id", b.id},
           {"name", b.name},
           {"input", b.input.is_null() ? Json::object() : b.input.get()}};
      break;
    case BlockType::kToolResult: {
      Json content = Json::array();
      for (const ContentBlock& c : b.content) content.push_back(BlockToJson(c));
      j = {{"type", "tool_result"}, {"tool_use_id", b.id}, {"content", std::move(content)}};
      if (b.is_error) j["is_error"] = true;
      break;
    }
    case BlockType::kThinking:
      j = {{"type", "thinking"}, {"thinking", b.text}, {"signature", b.signature}};
      break;
    case BlockType::kRedactedThinking:
      j = {{"type", "redacted_thinking"}, {"data", b.data}};
      break;
    case BlockType::kOther:
      j = b.raw.get().is_object() ? b.raw.get() : Json::object();
      break;
  }
  return j;
}

Json MessageToJson(const Message& m) {
  Json content = Json::array();
  for (const ContentBlock& b : m.content) content.push_back(BlockToJson(b));
  return {{"role", RoleName(m.role)}, {"content", std::move(content)}};
}

Json MessagesToJson(const std::vector<Message>& messages) {
  Json out = Json::array();
  for (const Message& m : messages) out.push_back(MessageToJson(m));
  return out;
}

ContentBlock BlockFromJson(const Json& j) {
  ContentBlock b;
  if (!j.is_object()) {
    b.type = BlockType::kOther;
    return b;
  }
  std::string type = StringField(j, "type");
  if (type == "text") {
    b.type = BlockType::kText;
    b.text = StringField(j, "text");
  } else if (type == "image") {
    b.type = BlockType::kImage;
    b.source = j.value("source", Json::object());
  } else if (type == "document") {
    b.type = BlockType::kDocument;
    b.source = j.value("source", Json::object());
    Json extra = j;
    extra.erase("type");
    extra.erase("source");
    if (!extra.empty()) b.raw = std::move(extra);
  } else if (type == "tool_use") {
    b.type = BlockType::kToolUse;
    b.id = StringField(j, "id");
    b.name = StringField(j, "name");
    b.input = j.contains("input") ? j["input"] : Json::object();
  } else if (type == "tool_result") {
    b.type = BlockType::kToolResult;
    b.id = StringField(j, "tool_use_id");
    b.content = ContentFromJson(j.value("content", Json()));
    b.is_error = j.value("is_error", false);
  } else if (type == "thinking") {
    b.type = BlockType::kThinking;
    b.text = StringField(j, "thinking");
    b.signature = StringField(j, "signature");
  } else if (type == "redacted_thinking") {
    b.type = BlockType::kRedactedThinking;
    b.data = StringField(j, "data");
  } else {
    b.type = BlockType::kOther;
    b.raw = j;
  }
  return b;
}

std::vector<ContentBlock> ContentFromJson(const Json& content) {
  std::vector<ContentBlock> out;
  if (content.is_string()) {
    out.push_back(ContentBlock::Text(content.get<std::string>()));
  } else if (content.is_array()) {
    for (const Json& block : content) out.push_back(BlockFromJson(block));
  }
  return out;
}

Message MessageFromJson(const Json& j) {
  Message m;
  if (!j.is_object()) return m;
  m.role = StringField(j, "role") == "assistant" ? Role::kAssistant : Role::kUser;
  m.content = ContentFromJson(j.value("content", Json()));
  return m;
}

std::vector<Message> MessagesFromJson(const std::vector<Json>& messages) {
  std::vector<Message> out;
  out.reserve(messages.size());
  for (const Json& m : messages) out.push_back(MessageFromJson(m));
  return out;
}

std::string MessageText(const Message& message) {
  std::string out;
  for (const ContentBlock& b : message.content) {
    if (b.type == BlockType::kText) out += b.text;
  }
  return out;
}

}  // namespace brock
