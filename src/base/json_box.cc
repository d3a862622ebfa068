#include "base/json_box.h"

#include <nlohmann/json.hpp>

namespace brock {

JsonBox::JsonBox() = default;
JsonBox::JsonBox(const Json& value) : value_(std::make_unique<Json>(value)) {}
JsonBox::JsonBox(Json&& value) : value_(std::make_unique<Json>(std::move(value))) {}
JsonBox::JsonBox(const JsonBox& other)
    : value_(other.value_ ? std::make_unique<Json>(*other.value_) : nullptr) {}
JsonBox::JsonBox(JsonBox&& other) noexcept = default;
JsonBox& JsonBox::operator=(const JsonBox& other) {
  if (this != &other) value_ = other.value_ ? std::make_unique<Json>(*other.value_) : nullptr;
  return *this;
}
JsonBox& JsonBox::operator=(JsonBox&& other) noexcept = default;
JsonBox::~JsonBox() = default;

const Json& JsonBox::get() const {
  static const Json kNull;
  return value_ ? *value_ : kNull;
}

Json& JsonBox::get() {
  if (!value_) value_ = std::make_unique<Json>();
  return *value_;
}

bool JsonBox::is_null() const { return !value_ || value_->is_null(); }

}  // namespace brock
