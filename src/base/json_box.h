// JsonBox: a JSON value held by value in types whose headers see only the forward declaration of
// nlohmann::json (base/json.h). Copying a JsonBox copies the value; a new one is null.
#pragma once

#include <memory>

#include "base/json.h"

namespace brock {

class JsonBox {
 public:
  JsonBox();
  JsonBox(const Json& value);
  JsonBox(Json&& value);
  JsonBox(const JsonBox& other);
  JsonBox(JsonBox&& other) noexcept;
  JsonBox& operator=(const JsonBox& other);
  JsonBox& operator=(JsonBox&& other) noexcept;
  ~JsonBox();

  const Json& get() const;  // a null value when empty
  Json& get();              // makes the value (null) when empty
  bool is_null() const;

 private:
  std::unique_ptr<Json> value_;
};

}  // namespace brock
