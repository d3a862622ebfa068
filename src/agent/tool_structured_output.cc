#include "agent/tool_structured_output.h"

#include <nlohmann/json.hpp>

namespace brock {
namespace {

bool TypeMatches(const std::string& type, const Json& v) {
  if (type == "object") return v.is_object();
  if (type == "array") return v.is_array();
  if (type == "string") return v.is_string();
  if (type == "boolean") return v.is_boolean();
  if (type == "null") return v.is_null();
  if (type == "number") return v.is_number();
  if (type == "integer") {
    return v.is_number_integer() ||
           (v.is_number_float() && v.get<double>() == static_cast<double>(v.get<int64_t>()));
  }
  return true;  // an unknown type name constrains nothing
}

class StructuredOutputTool : public Tool {
 public:
  StructuredOutputTool(Json schema, std::shared_ptr<Json> answer)
      : schema_(std::move(schema)), answer_(std::move(answer)) {}
  std::string name() const override { return kStructuredOutputToolName; }
  std::string description() const override {
    return "Give your final answer as structured data matching the input schema. Call this "
           "exactly once, at the end, when the task is done.";
  }
  Json input_schema() const override { return schema_; }
  bool read_only() const override { return true; }
  PermissionSubject Subject(const Json&, const ToolContext&) const override { return {}; }
  Result<ToolResult> Run(const Json& input, ToolContext&) override {
    std::string problem = CheckJsonSchema(schema_, input);
    if (!problem.empty()) {
      return ToolResult::Text("The output does not match the required schema: " + problem +
                                  ". Call " + name() + " again with corrected input.",
                              /*is_error=*/true);
    }
    *answer_ = input;
    return ToolResult::Text("Structured output recorded.");
  }

 private:
  Json schema_;
  std::shared_ptr<Json> answer_;
};

}  // namespace

std::unique_ptr<Tool> MakeStructuredOutputTool(Json schema, std::shared_ptr<Json> answer) {
  return std::make_unique<StructuredOutputTool>(std::move(schema), std::move(answer));
}

std::string StructuredOutputInstruction() {
  return std::string("When you have finished, give your final answer by calling the ") +
         kStructuredOutputToolName + " tool exactly once with data that matches its schema.";
}

std::string CheckJsonSchema(const Json& schema, const Json& v, const std::string& path) {
  if (!schema.is_object()) return "";
  if (auto t = schema.find("type"); t != schema.end()) {
    bool ok = false;
    std::string want;
    if (t->is_string()) {
      want = t->get<std::string>();
      ok = TypeMatches(want, v);
    } else if (t->is_array()) {
      for (const Json& one : *t) {
        if (!one.is_string()) continue;
        want += (want.empty() ? "" : " or ") + one.get<std::string>();
        ok = ok || TypeMatches(one.get<std::string>(), v);
      }
    } else {
      ok = true;
    }
    if (!ok) return path + ": expected " + want + ", found " + v.type_name();
  }
  if (auto e = schema.find("enum"); e != schema.end() && e->is_array()) {
    bool found = false;
    for (const Json& option : *e) found = found || option == v;
    if (!found) return path + ": not one of the allowed values";
  }
  if (auto c = schema.find("const"); c != schema.end() && *c != v) {
    return path + ": not the required value";
  }
  if (v.is_object()) {
    const Json props = schema.value("properties", Json::object());
    if (auto req = schema.find("required"); req != schema.end() && req->is_array()) {
      for (const Json& name : *req) {
        if (name.is_string() && !v.contains(name.get<std::string>())) {
          return path + ": missing required property \"" + name.get<std::string>() + "\"";
        }
      }
    }
    for (const auto& [key, value] : v.items()) {
      if (props.is_object() && props.contains(key)) {
        std::string p = CheckJsonSchema(props[key], value, path + "." + key);
        if (!p.empty()) return p;
      } else if (auto ap = schema.find("additionalProperties");
                 ap != schema.end() && ap->is_boolean() && !ap->get<bool>()) {
        return path + ": property \"" + key + "\" is not allowed";
      }
    }
  }
  if (v.is_array()) {
    if (auto n = schema.find("minItems");
        n != schema.end() && n->is_number() && v.size() < n->get<size_t>()) {
      return path + ": fewer than " + n->dump() + " items";
    }
    if (auto n = schema.find("maxItems");
        n != schema.end() && n->is_number() && v.size() > n->get<size_t>()) {
      return path + ": more than " + n->dump() + " items";
    }
    if (auto items = schema.find("items"); items != schema.end() && items->is_object()) {
      for (size_t i = 0; i < v.size(); ++i) {
        std::string p = CheckJsonSchema(*items, v[i], path + "[" + std::to_string(i) + "]");
        if (!p.empty()) return p;
      }
    }
  }
  if (v.is_string()) {
    size_t len = v.get_ref<const std::string&>().size();
    if (auto n = schema.find("minLength");
        n != schema.end() && n->is_number() && len < n->get<size_t>()) {
      return path + ": shorter than " + n->dump() + " characters";
    }
    if (auto n = schema.find("maxLength");
        n != schema.end() && n->is_number() && len > n->get<size_t>()) {
      return path + ": longer than " + n->dump() + " characters";
    }
  }
  if (v.is_number()) {
    double d = v.get<double>();
    if (auto n = schema.find("minimum");
        n != schema.end() && n->is_number() && d < n->get<double>()) {
      return path + ": below the minimum " + n->dump();
    }
    if (auto n = schema.find("maximum");
        n != schema.end() && n->is_number() && d > n->get<double>()) {
      return path + ": above the maximum " + n->dump();
    }
  }
  return "";
}

}  // namespace brock
