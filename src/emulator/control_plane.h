// The emulator's Bedrock control plane (the `bedrock` service, REST-JSON, the API behind
// `aws bedrock ...` and boto3's "bedrock" client), served on the same port as the runtime and
// SigV4-checked the same way (service "bedrock", the emulator's region):
//   GET /inference-profiles[?maxResults=N&nextToken=T&type=SYSTEM_DEFINED|APPLICATION]
//                                                  ListInferenceProfiles
//   GET /inference-profiles/{id or URL-encoded ARN} GetInferenceProfile
//   GET /foundation-models[?byProvider=P&byInferenceType=ON_DEMAND|PROVISIONED|...]
//                                                  ListFoundationModels
//   GET /foundation-models/{id or URL-encoded ARN}  GetFoundationModel
// ListInferenceProfiles pages: maxResults 1..1000 (default 10, so the default catalog takes two
// pages), nextToken opaque; without `type` it lists the SYSTEM_DEFINED profiles, as Bedrock does.
// Errors are Bedrock's: 400 ValidationException (bad maxResults, nextToken or type), 404
// ResourceNotFoundException (unknown profile or model), 403 AccessDeniedException for an
// operation listed in `denied_actions` ("bedrock:ListInferenceProfiles", ...), and the runtime's
// authentication errors. Each call is recorded with its operation name.
#pragma once

#include <set>
#include <string>

#include "emulator/auth.h"
#include "emulator/http_server.h"
#include "emulator/model_catalog.h"
#include "emulator/request_log.h"

namespace brock {

struct EmulatedControlPlaneOptions {
  AuthConfig auth;
  EmulatedCatalog catalog;
  // IAM actions answered with AccessDeniedException, e.g. "bedrock:ListFoundationModels".
  std::set<std::string> denied_actions;
};

class EmulatedControlPlane {
 public:
  // `recorder` must outlive this object.
  EmulatedControlPlane(EmulatedControlPlaneOptions options, RequestRecorder* recorder);

  // Answers `request` and returns true when it is a control-plane call (a path starting with
  // /inference-profiles or /foundation-models); returns false, writing nothing, otherwise.
  bool Handle(const HttpRequest& request, ResponseWriter& writer);

  const EmulatedCatalog& catalog() const { return options_.catalog; }

 private:
  EmulatedControlPlaneOptions options_;
  RequestRecorder* recorder_;
};

}  // namespace brock
