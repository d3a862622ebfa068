#include "bedrock/prices.h"

#include <map>
#include <mutex>
#include <string>

#include "base/strings.h"

namespace brock {

namespace {

struct Row {
  const char* needle;  // substring of the model id
  ModelPrice price;
};

// Most specific first.
const Row kRows[] = {
    {"claude-opus-4-5", {5, 25, 6.25, 0.50, true}},
    {"claude-opus-4-6", {5, 25, 6.25, 0.50, true}},
    {"claude-opus-4", {15, 75, 18.75, 1.50, true}},
    {"claude-3-opus", {15, 75, 18.75, 1.50, true}},
    {"claude-sonnet-4", {3, 15, 3.75, 0.30, true}},
    {"claude-3-7-sonnet", {3, 15, 3.75, 0.30, true}},
    {"claude-3-5-sonnet", {3, 15, 3.75, 0.30, true}},
    {"claude-haiku-4-5", {1, 5, 1.25, 0.10, true}},
    {"claude-3-5-haiku", {0.80, 4, 1.00, 0.08, true}},
    {"claude-3-haiku", {0.25, 1.25, 0.30, 0.03, true}},
};

std::mutex& UnderlyingMutex() {
  static std::mutex mu;
  return mu;
}

std::map<std::string, std::string, std::less<>>& UnderlyingModels() {
  static std::map<std::string, std::string, std::less<>> models;
  return models;
}

}  // namespace

void RegisterUnderlyingModel(std::string_view model_id, std::string_view foundation_model_id) {
  std::lock_guard<std::mutex> lock(UnderlyingMutex());
  UnderlyingModels()[std::string(model_id)] = std::string(foundation_model_id);
}

ModelPrice PriceForModel(std::string_view model_id) {
  std::string id = ToLower(model_id);
  {
    std::lock_guard<std::mutex> lock(UnderlyingMutex());
    auto it = UnderlyingModels().find(model_id);
    if (it != UnderlyingModels().end()) id = ToLower(it->second);
  }
  for (const Row& row : kRows) {
    if (id.find(row.needle) != std::string::npos) return row.price;
  }
  return {};
}

double CostUsd(const Usage& u, const ModelPrice& p) {
  return (static_cast<double>(u.input_tokens) * p.input +
          static_cast<double>(u.output_tokens) * p.output +
          static_cast<double>(u.cache_creation_input_tokens) * p.cache_write +
          static_cast<double>(u.cache_read_input_tokens) * p.cache_read) /
         1e6;
}

}  // namespace brock
