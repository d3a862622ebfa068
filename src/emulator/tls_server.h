// TlsServerContext: the emulator's server side of TLS (OpenSSL), loaded from a PEM certificate
// chain and private key, handing out a ConnectionStream per accepted socket. HTTP/1.1 only (it
// answers ALPN with "http/1.1"), TLS 1.2 and later.
#pragma once

#include <chrono>
#include <memory>
#include <string>

#include "base/error.h"
#include "emulator/connection_stream.h"

namespace brock {

class TlsServerContext {
 public:
  // Loads `cert_file` (PEM, the server certificate first, then any intermediates) and
  // `key_file` (PEM private key) and checks that they belong together. Errors (code
  // "emulator.tls") name the file and what is wrong with it.
  static Result<std::unique_ptr<TlsServerContext>> Load(const std::string& cert_file,
                                                        const std::string& key_file);
  ~TlsServerContext();

  // Runs the server handshake on the connected socket `fd` (blocking, giving up after
  // `timeout` without progress). Errors (code "emulator.tls_handshake") say why, e.g. the
  // client rejected the certificate. The stream never closes `fd`.
  Result<std::unique_ptr<ConnectionStream>> Accept(int fd, std::chrono::milliseconds timeout) const;

  struct Impl;

 private:
  explicit TlsServerContext(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace brock
