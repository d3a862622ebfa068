// Usage: the token counts of one model reply (or of a whole run, added up).
#pragma once

#include <cstdint>

namespace brock {

struct Usage {
  int64_t input_tokens = 0;
  int64_t output_tokens = 0;
  int64_t cache_read_input_tokens = 0;
  int64_t cache_creation_input_tokens = 0;

  Usage& operator+=(const Usage& o) {
    input_tokens += o.input_tokens;
    output_tokens += o.output_tokens;
    cache_read_input_tokens += o.cache_read_input_tokens;
    cache_creation_input_tokens += o.cache_creation_input_tokens;
    return *this;
  }
  // Everything the request put in the context window plus what the reply added.
  int64_t ContextTokens() const {
    return input_tokens + cache_read_input_tokens + cache_creation_input_tokens + output_tokens;
  }
};

}  // namespace brock
