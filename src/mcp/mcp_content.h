// What an MCP tool's result becomes for the model: tools/call's `content` items turned into
// Anthropic content blocks (text stays text; images become image blocks; embedded resources their
// text; resource links and audio a line naming them), `structuredContent` added as JSON text when
// the server sent no content, `isError` kept, and the whole cut at MAX_MCP_OUTPUT_TOKENS with a
// note saying so.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/json.h"

namespace brock {

// Claude Code's default for MAX_MCP_OUTPUT_TOKENS.
inline constexpr int64_t kDefaultMcpOutputTokens = 25000;

struct McpToolOutput {
  std::vector<Json> content;  // Anthropic content blocks
  bool is_error = false;
  bool truncated = false;
};

// Converts a tools/call result. `max_tokens` limits the text (about 4 characters a token) and the
// images (their base64 length / 4); past it the rest is dropped and a note added.
McpToolOutput McpToolResultToContent(const Json& result, int64_t max_tokens);

// The text of prompts/get's messages, joined with blank lines (text and embedded text resources;
// other content is named). Used to turn a prompt into the user's turn.
std::string McpPromptMessagesText(const Json& get_prompt_result);

// The text of resources/read's contents (text contents, binary ones named), joined.
std::string McpResourceText(const Json& read_result);

}  // namespace brock
