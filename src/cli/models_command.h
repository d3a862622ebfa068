// `brock models`: the Bedrock models of the configured region, as the setup guide finds them with
// `aws bedrock list-inference-profiles`, and pinning one.
//
//   brock models [--json] [--refresh] [--debug]
//       Inference profiles (system-defined cross-region ones and the account's application
//       profiles, every page of ListInferenceProfiles) and foundation models (ListFoundationModels)
//       as a table: ID, NAME, TYPE, STATUS, REGIONS (where a profile routes), and USED BY (the
//       alias each configured model serves: "model", "sonnet", ..., with "pinned" when a variable
//       or setting chose it). --json prints {"region", "profiles": [...], "foundationModels":
//       [...], "configured": [...]}. The catalog is cached for 15 minutes (--refresh refetches).
//   brock models --pin sonnet|haiku|opus|default ID [--no-check]
//       Writes ANTHROPIC_DEFAULT_<TIER>_MODEL (ANTHROPIC_MODEL for "default") = ID into the user
//       settings file's env block: merged, backed up, written atomically (settings_edit.h). The
//       ID must be a profile or foundation model of the region's catalog (--no-check skips that).
#pragma once

namespace brock {

// `argv[0]` is "models". 0 on success, 1 on an error, 2 on a usage error.
int RunModelsCommand(int argc, char** argv);

}  // namespace brock
