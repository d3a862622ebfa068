#include "cli/structured_output_sink.h"

#include <nlohmann/json.hpp>

namespace brock {

void StructuredOutputSink::OnResult(const RunResult& result) {
  RunResult r = result;
  if (!answer_->is_null()) {
    r.structured_output = JsonBox(*answer_);
    *answer_ = Json();  // each turn gives its own
  } else if (!r.is_error) {
    r.is_error = true;
    r.subtype = "error_max_structured_output_retries";
    r.error = MakeError("agent.no_structured_output",
                        "the model ended without an answer matching --json-schema",
                        "make the prompt ask for the data the schema describes, or loosen "
                        "the schema");
    r.result = r.error->ToString();
  }
  inner_.OnResult(r);
}

}  // namespace brock
