#include "aws/ca_bundle.h"

#include "base/error_codes.h"
#include "base/strings.h"

namespace brock {

namespace {

std::string Home(const Env& env) {
  if (auto h = env.GetNonEmpty("HOME")) return *h;
  return env.HomeDir();
}

std::string Absolute(const Env& env, std::string_view path) {
  if (path == "~") return Home(env);
  if (StartsWith(path, "~/")) return JoinPath(Home(env), path.substr(2));
  if (!path.empty() && path[0] == '/') return std::string(path);
  return JoinPath(env.CurrentDir(), path);
}

}  // namespace

Result<CaBundleChoice> ResolveCaBundle(const Env& env, const AwsConfig& config,
                                       std::string_view profile) {
  CaBundleChoice out;
  std::string raw;
  std::string setting;  // what the fix tells the user to change
  if (auto v = env.GetNonEmpty("AWS_CA_BUNDLE")) {
    raw = std::string(Trim(*v));
    out.origin = "AWS_CA_BUNDLE (from " + env.VarOrigin("AWS_CA_BUNDLE") + ")";
    setting = "AWS_CA_BUNDLE";
  } else if (const ProfileSection* p = config.Find(profile); p != nullptr) {
    if (auto v = p->Get("ca_bundle"); v && !Trim(*v).empty()) {
      raw = std::string(Trim(*v));
      std::string section = profile == "default" ? std::string("[default]")
                                                 : "[profile " + std::string(profile) + "]";
      out.origin = "ca_bundle in " + section + " of " + p->Origin("ca_bundle");
      setting = "ca_bundle in " + section + " of " + p->Origin("ca_bundle");
    }
  }
  if (raw.empty()) return out;
  out.path = Absolute(env, raw);
  FileInfo info = env.Stat(out.path);
  std::string problem;
  if (!info.exists) {
    problem = "the file does not exist";
  } else if (info.is_directory) {
    problem = "it is a directory, not a PEM file";
  } else if (auto read = env.ReadFile(out.path); !read.ok()) {
    problem = "the file cannot be read";
  }
  if (!problem.empty()) {
    return MakeError(
        errc::kNetTls,
        "could not load the CA bundle '" + out.path + "' named by " + out.origin + ": " + problem,
        "point " + setting +
            " at a readable PEM file holding the CA certificates "
            "to trust (for a TLS-inspecting proxy, its CA certificate), or unset it to "
            "use the system certificates");
  }
  return out;
}

Result<HttpClientOptions> AwsHttpClientOptions(const Env& env, const AwsConfig& config,
                                               std::string_view profile) {
  auto ca = ResolveCaBundle(env, config, profile);
  if (!ca.ok()) return std::move(ca).error();
  HttpClientOptions options;
  options.ca_bundle = ca->path;
  options.ca_bundle_origin = ca->origin;
  return options;
}

}  // namespace brock
