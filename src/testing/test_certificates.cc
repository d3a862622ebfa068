#include "testing/test_certificates.h"

#include <filesystem>
#include <fstream>

#include "base/process.h"

namespace brock::testing {

namespace {

Status RunOpenssl(std::vector<std::string> args) {
  ProcessSpec spec;
  spec.argv = {"openssl"};
  spec.argv.insert(spec.argv.end(), args.begin(), args.end());
  spec.timeout = std::chrono::seconds(30);
  auto r = RealProcessRunner().Run(spec);
  if (!r.ok()) {
    return MakeError("test.certificates", "cannot run openssl: " + r.error().message,
                     "install the openssl command line tool");
  }
  if (r->exit_code != 0) {
    return MakeError("test.certificates",
                     "openssl " + args[0] + " failed (status " + std::to_string(r->exit_code) +
                         "): " + r->stderr_data,
                     "check the openssl command line tool");
  }
  return {};
}

}  // namespace

Result<TestCertificates> MakeTestCertificates(const std::string& dir) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  TestCertificates out{dir + "/ca.pem", dir + "/server.pem", dir + "/server.key"};
  const std::string ca_key = dir + "/ca.key", csr = dir + "/server.csr", ext = dir + "/server.ext";
  {
    std::ofstream f(ext);
    f << "subjectAltName = IP:127.0.0.1, DNS:localhost\n"
         "basicConstraints = critical, CA:FALSE\n"
         "keyUsage = critical, digitalSignature\n"
         "extendedKeyUsage = serverAuth\n";
    if (!f.flush()) {
      return MakeError("test.certificates", "cannot write " + ext, "check the directory");
    }
  }
  // EC keys: generated at once, unlike RSA.
  if (Status s =
          RunOpenssl({"req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                      "-nodes", "-keyout", ca_key, "-out", out.ca_cert, "-days", "1", "-subj",
                      "/CN=brock test CA", "-addext", "basicConstraints=critical,CA:TRUE",
                      "-addext", "keyUsage=critical,keyCertSign,cRLSign"});
      !s.ok()) {
    return s.error();
  }
  if (Status s =
          RunOpenssl({"req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                      "-nodes", "-keyout", out.server_key, "-out", csr, "-subj", "/CN=127.0.0.1"});
      !s.ok()) {
    return s.error();
  }
  if (Status s =
          RunOpenssl({"x509", "-req", "-in", csr, "-CA", out.ca_cert, "-CAkey", ca_key,
                      "-CAcreateserial", "-out", out.server_cert, "-days", "1", "-extfile", ext});
      !s.ok()) {
    return s.error();
  }
  return out;
}

}  // namespace brock::testing
