#include "cli/policy_command.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdio>
#include <set>
#include <string_view>

#include "aws/endpoint.h"
#include "base/log.h"
#include "cli/guide_context.h"
#include "cli/report_error.h"
#include "cli/session.h"

namespace brock {

namespace {

constexpr char kUsage[] =
    "Usage: brock policy [--broad] [--debug]\n"
    "\n"
    "Prints the least-privilege IAM policy for the models brock is configured to use:\n"
    "bedrock:InvokeModel and bedrock:InvokeModelWithResponseStream on their inference-profile\n"
    "and foundation-model ARNs (in every region a cross-region profile routes to), plus the\n"
    "read-only calls `brock models` makes. --broad prints the setup guide's starting policy.\n"
    "Use it with: aws iam create-policy --policy-name brock-bedrock \\\n"
    "               --policy-document file://<(brock policy)\n";

Json ToArray(const std::set<std::string>& s) {
  Json a = Json::array();
  for (const auto& v : s) a.push_back(v);
  return a;
}

}  // namespace

Json LeastPrivilegePolicy(const BedrockCatalog& catalog, const std::string& region,
                          const std::vector<std::string>& model_ids,
                          std::vector<std::string>* notes) {
  std::string partition = PartitionName(region);
  std::set<std::string> profiles, models;
  for (const std::string& id : model_ids) {
    if (const InferenceProfileInfo* p = catalog.FindProfile(id)) {
      profiles.insert(p->arn);
      for (const auto& m : p->model_arns) models.insert(m);
    } else if (const FoundationModelInfo* m = catalog.FindModel(id)) {
      models.insert(m->arn);
    } else if (id.rfind("arn:", 0) == 0) {
      (id.find(":foundation-model/") != std::string::npos ? models : profiles).insert(id);
      if (notes) notes->push_back(id + " is not in " + region + "'s catalog; used as written");
    } else {
      // Strip a cross-region prefix to name the foundation model.
      std::string fm = id;
      for (const char* prefix : {"us-gov.", "us.", "eu.", "apac.", "global.", "jp.", "au."}) {
        if (fm.rfind(prefix, 0) == 0) {
          fm = fm.substr(std::string_view(prefix).size());
          profiles.insert("arn:" + partition + ":bedrock:" + region + ":*:inference-profile/" + id);
          break;
        }
      }
      models.insert("arn:" + partition + ":bedrock:*::foundation-model/" + fm);
      if (notes) {
        notes->push_back(id + " is not in " + region +
                         "'s catalog; its foundation model is allowed in every region (\"*\")");
      }
    }
  }
  std::set<std::string> all = profiles;
  all.insert(models.begin(), models.end());
  Json statements = Json::array();
  statements.push_back(
      {{"Sid", "InvokeConfiguredModels"},
       {"Effect", "Allow"},
       {"Action", {"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"}},
       {"Resource", ToArray(all)}});
  statements.push_back(
      {{"Sid", "ListModelCatalog"},
       {"Effect", "Allow"},
       {"Action", {"bedrock:ListInferenceProfiles", "bedrock:ListFoundationModels"}},
       {"Resource", "*"}});
  if (!profiles.empty()) {
    statements.push_back({{"Sid", "ReadConfiguredProfiles"},
                          {"Effect", "Allow"},
                          {"Action", {"bedrock:GetInferenceProfile"}},
                          {"Resource", ToArray(profiles)}});
  }
  if (!models.empty()) {
    statements.push_back({{"Sid", "ReadConfiguredModels"},
                          {"Effect", "Allow"},
                          {"Action", {"bedrock:GetFoundationModel"}},
                          {"Resource", ToArray(models)}});
  }
  return {{"Version", "2012-10-17"}, {"Statement", statements}};
}

Json BroadPolicy(const std::string& region) {
  std::string p = region.empty() ? "aws" : PartitionName(region);
  return {{"Version", "2012-10-17"},
          {"Statement",
           {{{"Sid", "AllowInvoke"},
             {"Effect", "Allow"},
             {"Action", {"bedrock:InvokeModel", "bedrock:InvokeModelWithResponseStream"}},
             {"Resource",
              {"arn:" + p + ":bedrock:*:*:foundation-model/*",
               "arn:" + p + ":bedrock:*:*:inference-profile/*",
               "arn:" + p + ":bedrock:*:*:application-inference-profile/*"}}}}}};
}

int RunPolicyCommand(int argc, char** argv) {
  bool broad = false;
  for (int i = 1; i < argc; ++i) {
    std::string_view arg = argv[i];
    if (arg == "-h" || arg == "--help") {
      std::fputs(kUsage, stdout);
      return 0;
    } else if (arg == "--broad") {
      broad = true;
    } else if (arg == "--debug" || arg == "-d") {
      SetDebugLogging(true);
    } else {
      std::fprintf(stderr, "Error: unknown argument: %.*s\n\n%s", static_cast<int>(arg.size()),
                   arg.data(), kUsage);
      return 2;
    }
  }
  Env& env = RealEnv();
  auto opened = Session::Open(env, CliOptions{});
  if (!opened.ok()) return ReportError(opened.error());
  Session& session = **opened;
  const std::string& region = session.connection().region;
  if (broad) {
    std::string text = BroadPolicy(region).dump(2) + "\n";
    std::fwrite(text.data(), 1, text.size(), stdout);
    return 0;
  }
  auto client = MakeControlPlaneClient(session);
  if (!client.ok()) return ReportError(client.error());
  auto catalog = LoadSessionCatalog(session, **client, false);
  BedrockCatalog empty;
  if (!catalog.ok()) {
    std::fprintf(stderr,
                 "brock: could not read the model catalog (%s); ARNs are derived from the model "
                 "IDs alone\n",
                 catalog.error().message.c_str());
  }
  std::vector<std::string> ids;
  for (const auto& c : ConfiguredModels(session)) {
    if (std::find(ids.begin(), ids.end(), c.model_id) == ids.end()) ids.push_back(c.model_id);
  }
  std::vector<std::string> notes;
  Json policy = LeastPrivilegePolicy(catalog.ok() ? *catalog : empty, region, ids, &notes);
  for (const auto& n : notes) std::fprintf(stderr, "brock: note: %s\n", n.c_str());
  std::string text = policy.dump(2) + "\n";
  std::fwrite(text.data(), 1, text.size(), stdout);
  return 0;
}

}  // namespace brock
