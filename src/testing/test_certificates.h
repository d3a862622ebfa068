// TestCertificates: a throwaway certificate authority and a server certificate for 127.0.0.1
// (subjectAltName IP:127.0.0.1, localhost), made with the `openssl` command line tool at test
// time, for tests that run the emulator over HTTPS. Nothing is checked in; the files live in a
// directory the caller chooses and are valid for one day.
#pragma once

#include <string>

#include "base/error.h"

namespace brock::testing {

struct TestCertificates {
  std::string ca_cert;      // PEM: the CA certificate (what a client trusts: AWS_CA_BUNDLE)
  std::string server_cert;  // PEM: the server certificate, signed by the CA (--tls-cert)
  std::string server_key;   // PEM: its private key (--tls-key)
};

// Creates the CA and server files in `dir` (created if missing). Errors (code
// "test.certificates") when the openssl tool is missing or fails; tests GTEST_SKIP on them.
Result<TestCertificates> MakeTestCertificates(const std::string& dir);

}  // namespace brock::testing
