// The CA bundle that HTTPS connections trust instead of the system certificates, chosen as
// botocore chooses it: AWS_CA_BUNDLE when set (and non-empty), else `ca_bundle` in the active
// profile of ~/.aws/config, else none (the system store).
//
// Paths: "~" and "~/..." expand to the home directory ($HOME) and a relative path is taken
// from the current directory, as the SDKs' file opens do; the result is absolute so messages
// name the real file.
#pragma once

#include <string>
#include <string_view>

#include "aws/config_file.h"
#include "base/env.h"
#include "base/error.h"
#include "net/http_client.h"

namespace brock {

struct CaBundleChoice {
  std::string path;    // absolute; "" = the system certificates
  std::string origin;  // "AWS_CA_BUNDLE (from the shell environment)",
                       // "ca_bundle in [profile dev] of /home/me/.aws/config"; "" when none
};

// Picks the bundle for `profile` and checks the file can be read. Errors (code "net.tls", as
// for libcurl's own CA-file failures): the file is missing, a directory, or unreadable; the message
// names the file and where the value came from, the fix says how to correct or unset it.
Result<CaBundleChoice> ResolveCaBundle(const Env& env, const AwsConfig& config,
                                       std::string_view profile);

// The options for brock's HTTP client: the CA bundle above (with its origin, for messages).
// The proxy stays empty so libcurl applies HTTPS_PROXY / https_proxy / NO_PROXY itself.
// Errors: those of ResolveCaBundle.
Result<HttpClientOptions> AwsHttpClientOptions(const Env& env, const AwsConfig& config,
                                               std::string_view profile);

}  // namespace brock
