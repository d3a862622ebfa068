// The effort level a session asks for, decided as Claude Code decides it:
//   1. CLAUDE_CODE_EFFORT_LEVEL: low | medium | high | xhigh | max, or auto (the model's default,
//      overriding everything below);
//   2. else --effort: low | medium | high | xhigh | max, or ultracode (xhigh; brock has no
//      workflows, so this is all ultracode does here);
//   3. else `"ultracode": true` in the merged settings: xhigh;
//   4. else `"effortLevel"` in the merged settings: low | medium | high | xhigh (not max);
//   5. else the model's default ("").
// An unusable value gives a warning and falls through to the next source. The level is sent as
// output_config.effort only to models that take effort, lowered to the highest level the model
// has (bedrock/model_table.h, EffortForModel). docs/models.md ("Effort") documents this.
#pragma once

#include <string>

#include "base/env.h"
#include "base/json.h"

namespace brock {

struct EffortChoice {
  std::string level;    // low | medium | high | xhigh | max; "": the model's default
  std::string source;   // "CLAUDE_CODE_EFFORT_LEVEL", "--effort", "ultracode", "effortLevel", ""
  std::string warning;  // set when a value was unusable (for stderr)
};

// `flag`: --effort's value, or "" when not given. `settings`: the merged settings object.
EffortChoice ChooseEffort(const Env& env, const Json& settings, const std::string& flag);

}  // namespace brock
