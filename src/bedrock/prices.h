// Prices of the Claude models on Amazon Bedrock, in US dollars per million tokens, used for
// total_cost_usd. The table (docs/prices.md) lists on-demand prices; cross-region (geo) inference
// profiles cost the same as in-region on-demand, and "global." profiles are priced the same
// here (brock rounds in the user's favour of knowing an upper bound).
#pragma once

#include <string_view>

#include "bedrock/message_assembler.h"

namespace brock {

struct ModelPrice {
  double input = 0;        // per million input tokens
  double output = 0;       // per million output tokens
  double cache_write = 0;  // per million cache-creation input tokens (5-minute cache)
  double cache_read = 0;   // per million cache-read input tokens
  bool known = false;      // false: unknown model, cost reported as 0
};

// The price for a model ID or inference profile ID / ARN (matched by family and version). An ID
// registered with RegisterUnderlyingModel is priced as its foundation model.
ModelPrice PriceForModel(std::string_view model_id);

// Records that `model_id` (an application inference profile ARN, whose text names no model) is
// served by `foundation_model_id`, as the Bedrock catalog says (bedrock/model_catalog.h).
// Thread-safe; lasts for the process.
void RegisterUnderlyingModel(std::string_view model_id, std::string_view foundation_model_id);

// Cost in USD of `usage` at `price`.
double CostUsd(const Usage& usage, const ModelPrice& price);

}  // namespace brock
