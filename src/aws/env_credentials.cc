#include "aws/env_credentials.h"

#include "base/secrets.h"

namespace brock {

bool EnvHasAccessKeys(const Env& env) {
  return env.GetNonEmpty("AWS_ACCESS_KEY_ID") || env.GetNonEmpty("AWS_SECRET_ACCESS_KEY");
}

Result<std::optional<Credentials>> EnvCredentialProvider::Load() {
  auto id = env_.GetNonEmpty("AWS_ACCESS_KEY_ID");
  auto secret = env_.GetNonEmpty("AWS_SECRET_ACCESS_KEY");
  if (!id && !secret) return std::optional<Credentials>();
  if (!id || !secret) {
    std::string set = id ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY";
    std::string unset = id ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID";
    return MakeError("credentials.incomplete_env",
                     set + " is set (from " + env_.VarOrigin(set) + ") but " + unset + " is not",
                     "set both AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY (and AWS_SESSION_TOKEN "
                     "for temporary keys), or unset " +
                         set + " to use a profile instead");
  }
  Credentials c;
  c.access_key_id = *id;
  c.secret_access_key = *secret;
  if (auto token = env_.GetNonEmpty("AWS_SESSION_TOKEN")) c.session_token = *token;
  c.source =
      "environment variables (AWS_ACCESS_KEY_ID from " + env_.VarOrigin("AWS_ACCESS_KEY_ID") + ")";
  RegisterSecret(c.secret_access_key);
  RegisterSecret(c.session_token);
  return std::optional<Credentials>(std::move(c));
}

}  // namespace brock
