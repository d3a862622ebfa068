// Reads refuse FIFOs, devices and sockets at once instead of blocking or reading forever.
#include "base/regular_file.h"

#include <gtest/gtest.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <chrono>
#include <cstdlib>
#include <fstream>

#include "base/env.h"
#include "base/error_codes.h"

namespace brock {
namespace {

class RegularFileTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/brock_regular_file_XXXXXX";
    ASSERT_NE(::mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::system(("rm -rf '" + dir_ + "'").c_str()); }
  std::string dir_;
};

// Each refusal must come back at once: a blocked open or an endless read would hang the test
// (and CTest's timeout would report it).
void ExpectRefusedPromptly(const std::string& path, const std::string& kind) {
  auto start = std::chrono::steady_clock::now();
  auto r = ReadRegularFile(path);
  auto via_env = RealEnv().ReadFile(path);
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(5));
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, errc::kIoNotRegular);
  EXPECT_NE(r.error().message.find(kind), std::string::npos) << r.error().message;
  EXPECT_FALSE(r.error().fix.empty());
  ASSERT_FALSE(via_env.ok());
  EXPECT_EQ(via_env.error().code, errc::kIoNotRegular);
}

TEST_F(RegularFileTest, ReadsARegularFile) {
  std::ofstream(dir_ + "/a.txt") << "hello";
  auto r = ReadRegularFile(dir_ + "/a.txt");
  ASSERT_TRUE(r.ok()) << r.error().message;
  EXPECT_EQ(*r, "hello");
}

TEST_F(RegularFileTest, FifoWithoutWriterIsRefusedAtOnce) {
  ASSERT_EQ(::mkfifo((dir_ + "/fifo").c_str(), 0600), 0);
  ExpectRefusedPromptly(dir_ + "/fifo", "FIFO");
}

TEST_F(RegularFileTest, SymlinkToDevZeroIsRefused) {
  ASSERT_EQ(::symlink("/dev/zero", (dir_ + "/zero").c_str()), 0);
  ExpectRefusedPromptly(dir_ + "/zero", "character device");
}

TEST_F(RegularFileTest, SocketIsRefused) {
  int s = ::socket(AF_UNIX, SOCK_STREAM, 0);
  ASSERT_GE(s, 0);
  sockaddr_un addr = {};
  addr.sun_family = AF_UNIX;
  std::string path = dir_ + "/sock";
  ASSERT_LT(path.size(), sizeof addr.sun_path);
  std::copy(path.begin(), path.end(), addr.sun_path);
  ASSERT_EQ(::bind(s, reinterpret_cast<sockaddr*>(&addr), sizeof addr), 0);
  auto r = ReadRegularFile(path);
  ::close(s);
  ASSERT_FALSE(r.ok());
  // Opening a socket fails (ENXIO) before fstat could say what it is; either way it is refused.
  EXPECT_TRUE(r.error().code == errc::kIoNotRegular || r.error().code == "io.error")
      << r.error().code;
}

TEST_F(RegularFileTest, MissingAndDirectoryKeepTheirCodes) {
  auto missing = ReadRegularFile(dir_ + "/nope");
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.error().code, errc::kIoNotFound);
  auto directory = ReadRegularFile(dir_);
  ASSERT_FALSE(directory.ok());
  EXPECT_EQ(directory.error().code, "io.error");
}

TEST_F(RegularFileTest, TooLargeIsRefused) {
  std::ofstream(dir_ + "/big") << std::string(100, 'x');
  auto r = ReadRegularFile(dir_ + "/big", 99);
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().code, "io.too_large");
}

}  // namespace
}  // namespace brock
