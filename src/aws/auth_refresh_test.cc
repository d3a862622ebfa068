#include "aws/auth_refresh.h"

#include <mutex>

#include <gtest/gtest.h>

namespace brock {
namespace {

TEST(AuthRefreshTest, OutputIsShownLiveAndProfileIsAnEnvironmentVariable) {
  std::mutex mu;
  std::string out, err;
  AuthRefreshOptions o;
  o.profile = "corp'; touch /tmp/brock-never; echo '";
  o.on_output = [&](std::string_view chunk, bool is_stderr) {
    std::lock_guard<std::mutex> lock(mu);
    (is_stderr ? err : out).append(chunk);
  };
  Status s =
      RunAuthRefresh(RealProcessRunner(),
                     "echo 'Open https://device.sso.example/ and enter ABCD-EFGH'; "
                     "printf 'profile=[%s]\\n' \"$AWS_PROFILE\"; echo 'Successfully logged in' >&2",
                     o);
  ASSERT_TRUE(s.ok()) << s.error().ToString();
  EXPECT_EQ(out,
            "Open https://device.sso.example/ and enter ABCD-EFGH\nprofile=[corp'; touch "
            "/tmp/brock-never; echo ']\n");
  EXPECT_EQ(err, "Successfully logged in\n");
}

TEST(AuthRefreshTest, TimeoutStopsTheCommand) {
  AuthRefreshOptions o;
  o.timeout = std::chrono::milliseconds(300);
  auto start = std::chrono::steady_clock::now();
  Status s = RunAuthRefresh(RealProcessRunner(), "echo waiting; sleep 30", o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "auth_refresh.timeout");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(10));
  EXPECT_EQ(AuthRefreshOptions().timeout, std::chrono::minutes(3));
}

TEST(AuthRefreshTest, FailureCarriesStderr) {
  Status s = RunAuthRefresh(RealProcessRunner(),
                            "echo 'Error: profile has no sso_start_url' >&2; exit 252", {});
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "auth_refresh.failed");
  EXPECT_NE(s.error().message.find("exited with status 252: Error: profile has no sso_start_url"),
            std::string::npos)
      << s.error().message;
}

TEST(AuthRefreshTest, Cancel) {
  std::atomic<bool> cancel{true};
  AuthRefreshOptions o;
  o.cancel = &cancel;
  Status s = RunAuthRefresh(RealProcessRunner(), "sleep 30", o);
  ASSERT_FALSE(s.ok());
  EXPECT_EQ(s.error().code, "auth_refresh.cancelled");
}

}  // namespace
}  // namespace brock
