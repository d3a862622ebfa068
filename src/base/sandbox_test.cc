#include "base/sandbox.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

namespace brock {
namespace {

bool Has(const std::vector<std::string>& a, const std::vector<std::string>& seq) {
  return std::search(a.begin(), a.end(), seq.begin(), seq.end()) != a.end();
}

TEST(Sandbox, BubblewrapArgvMakesTheRootReadOnlyAndOpensOnlyWhatThePolicySays) {
  const std::string tmp = std::filesystem::temp_directory_path().string();
  SandboxPolicy p;
  p.writable = {tmp, "/definitely/not/here"};
  p.deny_read = {"/etc/hostname", "/nonexistent-denied"};
  p.deny_write = {tmp};
  std::vector<std::string> a = BubblewrapArgv(p, "/", {"/bin/sh", "-c", "echo hi"});
  EXPECT_EQ(a[0], "bwrap");
  EXPECT_TRUE(Has(a, {"--ro-bind", "/", "/"}));
  EXPECT_TRUE(Has(a, {"--unshare-pid"}));
  EXPECT_TRUE(Has(a, {"--unshare-net"}));
  EXPECT_TRUE(Has(a, {"--die-with-parent"}));
  EXPECT_TRUE(Has(a, {"--bind", tmp, tmp}));
  EXPECT_FALSE(Has(a, {"/definitely/not/here"})) << "missing directories are skipped";
  EXPECT_TRUE(Has(a, {"--ro-bind", "/dev/null", "/etc/hostname"})) << "a denied file is hidden";
  EXPECT_FALSE(Has(a, {"/nonexistent-denied"}));
  EXPECT_TRUE(Has(a, {"--ro-bind", tmp, tmp})) << "denyWrite comes after the writable binds";
  EXPECT_TRUE(Has(a, {"--chdir", "/", "--", "/bin/sh", "-c", "echo hi"}));
  p.share_network = true;
  EXPECT_FALSE(Has(BubblewrapArgv(p, "/", {"true"}), {"--unshare-net"}));
}

TEST(Sandbox, ADeniedDirectoryBecomesAnEmptyReadOnlyDirectory) {
  SandboxPolicy p;
  p.deny_read = {"/etc"};
  std::vector<std::string> a = BubblewrapArgv(p, "", {"true"});
  EXPECT_TRUE(Has(a, {"--tmpfs", "/etc", "--remount-ro", "/etc"}));
}

}  // namespace
}  // namespace brock
