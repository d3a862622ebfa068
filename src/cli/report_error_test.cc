#include "cli/report_error.h"

#include <gtest/gtest.h>

#include <string>

#include "base/secrets.h"

namespace brock {
namespace {

std::string Reported(const Error& e, int* status) {
  ::testing::internal::CaptureStderr();
  *status = ReportError(e);
  return ::testing::internal::GetCapturedStderr();
}

TEST(ReportError, PrintsMessageAndFixAndFails) {
  int status = 0;
  std::string out = Reported(MakeError("region.missing", "no AWS region is set",
                                       "set AWS_REGION or region in ~/.aws/config"),
                             &status);
  EXPECT_EQ(status, 1);
  EXPECT_EQ(out, "Error: no AWS region is set\n  fix: set AWS_REGION or region in ~/.aws/config\n");
}

TEST(ReportError, WithoutAFixPrintsOneLine) {
  int status = 0;
  EXPECT_EQ(Reported(MakeError("internal", "something broke"), &status),
            "Error: something broke\n");
  EXPECT_EQ(status, 1);
}

TEST(ReportError, ScrubsRegisteredSecrets) {
  const std::string secret = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYREPORTERR";
  RegisterSecret(secret);
  int status = 0;
  std::string out = Reported(
      MakeError("aws.denied", "the key " + secret + " was refused", "rotate " + secret), &status);
  EXPECT_EQ(out.find(secret), std::string::npos) << out;
  EXPECT_EQ(out, "Error: the key [REDACTED] was refused\n  fix: rotate [REDACTED]\n");
  EXPECT_EQ(status, 1);
}

}  // namespace
}  // namespace brock
