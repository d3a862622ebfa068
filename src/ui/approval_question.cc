#include "ui/approval_question.h"

#include <nlohmann/json.hpp>

#include "ui/terminal_sink.h"
#include "ui/visible_text.h"

namespace brock {

std::string ApprovalQuestion(const Json& block, std::string_view reason, int width, bool styled) {
  std::string name = block.value("name", "?");
  const Json input =
      block.contains("input") && block["input"].is_object() ? block["input"] : Json::object();
  std::string arg;
  for (const char* key : {"command", "file_path", "pattern", "path", "notebook_path"}) {
    if (input.contains(key) && input[key].is_string()) {
      arg = input[key].get<std::string>();
      break;
    }
  }
  std::string out = "  " + Styled(styled, kYellow, VisibleText(name)) +
                    " needs approval: " + VisibleText(reason) + "\n";
  if (arg.empty()) return out;
  const size_t room = width > 24 ? static_cast<size_t>(width) - 4 : 20;
  for (const FoldedRow& row : FoldVisible(arg, room, styled)) {
    out += (row.continued ? "  \u21b3 " : "    ") + row.text + "\n";
  }
  return out;
}

}  // namespace brock
