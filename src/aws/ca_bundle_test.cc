#include "aws/ca_bundle.h"

#include <gtest/gtest.h>

#include "testing/fake_env.h"

namespace brock {
namespace {

class CaBundleTest : public ::testing::Test {
 protected:
  AwsConfig Config(const std::string& config_text) {
    auto c =
        ParseAwsConfig(config_text, "", "/home/user/.aws/config", "/home/user/.aws/credentials");
    EXPECT_TRUE(c.ok()) << c.error().ToString();
    return c.ok() ? std::move(c).value() : AwsConfig{};
  }
  testing::FakeEnv env_;
};

TEST_F(CaBundleTest, NoneConfiguredMeansTheSystemCertificates) {
  auto r = ResolveCaBundle(env_, Config("[profile dev]\nregion = us-west-2\n"), "dev");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->path, "");
  EXPECT_EQ(r->origin, "");
}

TEST_F(CaBundleTest, ProfileCaBundleIsUsedWhenTheVariableIsUnset) {
  env_.files["/etc/corp/ca.pem"] = "-----BEGIN CERTIFICATE-----\n";
  auto r = ResolveCaBundle(env_, Config("[profile dev]\nca_bundle = /etc/corp/ca.pem\n"), "dev");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->path, "/etc/corp/ca.pem");
  EXPECT_EQ(r->origin, "ca_bundle in [profile dev] of /home/user/.aws/config");
}

TEST_F(CaBundleTest, OnlyTheActiveProfileCounts) {
  env_.files["/etc/corp/ca.pem"] = "pem";
  auto r = ResolveCaBundle(
      env_, Config("[profile other]\nca_bundle = /etc/corp/ca.pem\n[profile dev]\n"), "dev");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->path, "");
}

TEST_F(CaBundleTest, AwsCaBundleWinsOverTheProfile) {
  env_.files["/etc/env-ca.pem"] = "pem";
  env_.files["/etc/corp/ca.pem"] = "pem";
  env_.vars["AWS_CA_BUNDLE"] = "/etc/env-ca.pem";
  auto r = ResolveCaBundle(env_, Config("[default]\nca_bundle = /etc/corp/ca.pem\n"), "default");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->path, "/etc/env-ca.pem");
  EXPECT_EQ(r->origin.rfind("AWS_CA_BUNDLE (from ", 0), 0u) << r->origin;
}

TEST_F(CaBundleTest, EmptyAwsCaBundleFallsBackToTheProfile) {
  env_.files["/etc/corp/ca.pem"] = "pem";
  env_.vars["AWS_CA_BUNDLE"] = "";
  auto r = ResolveCaBundle(env_, Config("[default]\nca_bundle = /etc/corp/ca.pem\n"), "default");
  ASSERT_TRUE(r.ok()) << r.error().ToString();
  EXPECT_EQ(r->path, "/etc/corp/ca.pem");
  EXPECT_EQ(r->origin, "ca_bundle in [default] of /home/user/.aws/config");
}

TEST_F(CaBundleTest, TildeAndRelativePathsAreExpanded) {
  env_.files["/home/user/certs/ca.pem"] = "pem";
  env_.files["/home/user/project/certs/ca.pem"] = "pem";
  auto home = ResolveCaBundle(env_, Config("[profile dev]\nca_bundle = ~/certs/ca.pem\n"), "dev");
  ASSERT_TRUE(home.ok()) << home.error().ToString();
  EXPECT_EQ(home->path, "/home/user/certs/ca.pem");
  env_.vars["AWS_CA_BUNDLE"] = "certs/ca.pem";
  auto relative = ResolveCaBundle(env_, Config(""), "default");
  ASSERT_TRUE(relative.ok()) << relative.error().ToString();
  EXPECT_EQ(relative->path, "/home/user/project/certs/ca.pem");
}

TEST_F(CaBundleTest, MissingProfileBundleNamesTheFileTheSourceAndTheFix) {
  auto r = ResolveCaBundle(env_, Config("[profile dev]\nca_bundle = ~/missing-ca.pem\n"), "dev");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.tls");
  EXPECT_NE(r.error().message.find("'/home/user/missing-ca.pem'"), std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("ca_bundle in [profile dev] of /home/user/.aws/config"),
            std::string::npos)
      << r.error().message;
  EXPECT_NE(r.error().message.find("does not exist"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().fix.find("point ca_bundle in [profile dev]"), std::string::npos)
      << r.error().fix;
}

TEST_F(CaBundleTest, MissingEnvironmentBundleNamesTheVariable) {
  env_.vars["AWS_CA_BUNDLE"] = "/nonexistent/ca.pem";
  auto r = ResolveCaBundle(env_, Config(""), "default");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "net.tls");
  EXPECT_NE(r.error().message.find("/nonexistent/ca.pem"), std::string::npos);
  EXPECT_NE(r.error().message.find("AWS_CA_BUNDLE"), std::string::npos);
  EXPECT_NE(r.error().fix.find("AWS_CA_BUNDLE"), std::string::npos);
}

TEST_F(CaBundleTest, HttpClientOptionsCarryTheBundleAndLeaveTheProxyToLibcurl) {
  env_.files["/etc/corp/ca.pem"] = "pem";
  env_.vars["HTTPS_PROXY"] = "http://proxy.example:3128";
  auto o =
      AwsHttpClientOptions(env_, Config("[profile dev]\nca_bundle = /etc/corp/ca.pem\n"), "dev");
  ASSERT_TRUE(o.ok()) << o.error().ToString();
  EXPECT_EQ(o->ca_bundle, "/etc/corp/ca.pem");
  EXPECT_NE(o->ca_bundle_origin.find("ca_bundle in [profile dev]"), std::string::npos);
  EXPECT_EQ(o->proxy, "");
}

}  // namespace
}  // namespace brock
