// StructuredOutput: the tool --json-schema adds (as Claude Code does). Its input schema is the
// user's JSON Schema; the model answers by calling it once. The input is checked against the
// schema (CheckJsonSchema below); a call that does not match is returned to the model as an
// error so it can try again, and a matching one is kept in *answer for the result's
// `structured_output`.
#pragma once

#include <memory>
#include <string>

#include "agent/tool.h"

namespace brock {

inline constexpr char kStructuredOutputToolName[] = "StructuredOutput";

// `answer` receives the last valid input (it stays null until the model gives one).
std::unique_ptr<Tool> MakeStructuredOutputTool(Json schema, std::shared_ptr<Json> answer);

// Checks `value` against the JSON Schema keywords type, enum, const, properties, required,
// additionalProperties (false), items, minItems, maxItems, minLength, maxLength, minimum and
// maximum; others are not checked. Returns "" when it matches, else what does not, with its path
// ("$.name: expected string, found number").
std::string CheckJsonSchema(const Json& schema, const Json& value, const std::string& path = "$");

// The instruction appended to the system prompt when --json-schema is given.
std::string StructuredOutputInstruction();

}  // namespace brock
