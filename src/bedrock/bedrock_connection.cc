#include "bedrock/bedrock_connection.h"

#include "aws/endpoint.h"
#include "aws/region.h"
#include "base/secrets.h"
#include "base/strings.h"

namespace brock {

Result<HttpHeaders> ParseCustomHeaders(std::string_view text) {
  HttpHeaders out;
  for (const std::string& raw : Split(text, '\n')) {
    std::string_view line = Trim(raw);
    if (line.empty()) continue;
    size_t colon = line.find(':');
    if (colon == std::string_view::npos || colon == 0) {
      return MakeError("settings.custom_headers",
                       "ANTHROPIC_CUSTOM_HEADERS has a line without \"Name: Value\": " +
                           std::string(line.substr(0, 40)),
                       "write one header per line as Name: Value");
    }
    out.emplace_back(std::string(Trim(line.substr(0, colon))),
                     std::string(Trim(line.substr(colon + 1))));
  }
  return out;
}

Result<BedrockConnection> ResolveBedrockConnection(const Env& env, const AwsConfig& cfg) {
  BedrockConnection conn;
  conn.profile_explicit = env.GetNonEmpty("AWS_PROFILE").has_value();
  conn.profile = ActiveProfileName(env);
  conn.profile_origin = conn.profile_explicit
                            ? "AWS_PROFILE (from " + env.VarOrigin("AWS_PROFILE") + ")"
                            : "the default profile";

  auto region = ResolveRegion(env, cfg, conn.profile);
  if (!region.ok()) return std::move(region).error();
  conn.region = region->region;
  conn.region_origin = region->origin;

  RuntimeOptions& rt = conn.runtime;
  rt.region = conn.region;
  if (auto base = env.GetNonEmpty("ANTHROPIC_BEDROCK_BASE_URL")) {
    rt.base_url = *base;
    rt.context.endpoint_origin =
        "ANTHROPIC_BEDROCK_BASE_URL (from " + env.VarOrigin("ANTHROPIC_BEDROCK_BASE_URL") + ")";
  } else {
    auto ep = ResolveEndpoint(env, cfg, conn.profile, "bedrock-runtime", conn.region);
    if (!ep.ok()) return std::move(ep).error();
    rt.base_url = ep->url;
    rt.context.endpoint_origin = ep->origin;
  }
  rt.context.endpoint = rt.base_url;
  rt.context.region = conn.region;
  rt.context.region_origin = conn.region_origin;

  if (auto headers = env.GetNonEmpty("ANTHROPIC_CUSTOM_HEADERS")) {
    auto parsed = ParseCustomHeaders(*headers);
    if (!parsed.ok()) return std::move(parsed).error();
    rt.extra_headers = std::move(parsed).value();
  }
  rt.max_retries = static_cast<int>(env.GetInt("CLAUDE_CODE_MAX_RETRIES", 10));
  rt.call_timeout =
      std::chrono::milliseconds(env.GetInt("API_TIMEOUT_MS", kDefaultBedrockCallTimeout.count()));
  rt.retry_base_delay = std::chrono::milliseconds(env.GetInt("BROCK_RETRY_BASE_DELAY_MS", 500));
  rt.retry_max_delay = std::chrono::milliseconds(
      std::max<int64_t>(env.GetInt("BROCK_RETRY_MAX_DELAY_MS", 8000), rt.retry_base_delay.count()));

  if (env.GetBool("CLAUDE_CODE_SKIP_BEDROCK_AUTH")) {
    rt.auth.kind = BedrockAuthKind::kUnsigned;
    conn.auth_summary = "none (CLAUDE_CODE_SKIP_BEDROCK_AUTH=1)";
  } else if (auto token = env.GetNonEmpty("AWS_BEARER_TOKEN_BEDROCK")) {
    RegisterSecret(*token);
    rt.auth.kind = BedrockAuthKind::kBearer;
    rt.auth.bearer_token = *token;
    conn.auth_summary = "Bedrock API key (AWS_BEARER_TOKEN_BEDROCK from " +
                        env.VarOrigin("AWS_BEARER_TOKEN_BEDROCK") + ")";
  } else {
    rt.auth.kind = BedrockAuthKind::kSigV4;
    conn.auth_summary = conn.profile_explicit ? "profile " + conn.profile
                                              : "environment keys or the default profile";
    rt.context.profile = conn.profile;
    rt.context.profile_origin = conn.profile_origin;
  }
  return conn;
}

}  // namespace brock
