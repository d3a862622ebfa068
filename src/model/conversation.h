// The typed conversation: messages made of content blocks, as the agent keeps them and as a
// ModelClient takes them. The shape follows Anthropic's Messages API (the richest of the APIs
// brock speaks), but nothing here knows a wire format: a ModelClient turns it into its own.
//
// The JSON form (MessageToJson / MessageFromJson) is the Messages API's and is what transcripts
// and the print formats store. MessageFromJson / ContentFromJson are the one place where a
// message's string content becomes a text block.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "base/json.h"
#include "base/json_box.h"

namespace brock {

enum class Role { kUser, kAssistant };

enum class BlockType {
  kText,
  kImage,             // `source`: {"type":"base64","media_type":...,"data":...} or a URL source
  kDocument,          // `source` as for images; `raw` keeps title/context/citations
  kToolUse,           // id, name, input
  kToolResult,        // id (the tool_use_id), content, is_error
  kThinking,          // text (the thinking), signature: sent back unchanged
  kRedactedThinking,  // data: sent back unchanged
  kOther,             // a block type brock does not model: `raw` is passed through unchanged
};

struct ContentBlock {
  BlockType type = BlockType::kText;
  std::string text;  // kText; kThinking: the thinking text
  std::string id;    // kToolUse: the call id; kToolResult: the tool_use_id it answers
  std::string name;  // kToolUse
  JsonBox input;     // kToolUse: the tool input (an object)
  std::vector<ContentBlock> content;  // kToolResult
  bool is_error = false;              // kToolResult
  std::string signature;              // kThinking
  std::string data;                   // kRedactedThinking
  JsonBox source;                     // kImage, kDocument
  JsonBox raw;                        // kOther (the whole block), kDocument (extra fields)
  // A cache point after this block: the prefix of the conversation up to and including it may
  // be cached by the model service (a client that cannot cache ignores it).
  bool cache_point = false;

  static ContentBlock Text(std::string text);
  static ContentBlock ToolUse(std::string id, std::string name, const Json& input);
  static ContentBlock ToolResult(std::string tool_use_id, std::vector<ContentBlock> content,
                                 bool is_error = false);
};

struct Message {
  Role role = Role::kUser;
  std::vector<ContentBlock> content;
};

// "user" / "assistant".
std::string_view RoleName(Role role);

// Messages API JSON of a block / message / list of messages.
Json BlockToJson(const ContentBlock& block);
Json MessageToJson(const Message& message);
Json MessagesToJson(const std::vector<Message>& messages);

// Content as the Messages API allows it: a string (one text block) or an array of blocks.
// Anything else (null, a number, an object) is an empty list.
std::vector<ContentBlock> ContentFromJson(const Json& content);
ContentBlock BlockFromJson(const Json& block);
// {"role": "user"|"assistant", "content": string or blocks}; an unknown role reads as user.
Message MessageFromJson(const Json& message);
std::vector<Message> MessagesFromJson(const std::vector<Json>& messages);

// The text blocks of a message joined.
std::string MessageText(const Message& message);

}  // namespace brock
