// ConnectionStream: the byte stream of one accepted connection, plain TCP or TLS, as the
// emulator's HTTP server (http_server.h) reads and writes it. The TLS kind comes from
// TlsServerContext (tls_server.h); no OpenSSL type appears here.
#pragma once

#include <sys/types.h>

#include <cstddef>
#include <memory>
#include <string_view>

namespace brock {

class ConnectionStream {
 public:
  virtual ~ConnectionStream() = default;
  // The socket underneath (for poll and shutdown); owned by the caller, never closed here.
  virtual int fd() const = 0;
  // True when Read can return bytes without waiting for the socket (TLS keeps decrypted bytes).
  virtual bool HasBuffered() const = 0;
  // Reads up to `n` bytes, blocking until some arrive: > 0 bytes read, 0 at end of stream,
  // < 0 on an error.
  virtual ssize_t Read(char* buf, size_t n) = 0;
  // Writes all of `data`; false when the peer is gone.
  virtual bool WriteAll(std::string_view data) = 0;
};

// A plain TCP stream over `fd` (writes never raise SIGPIPE).
std::unique_ptr<ConnectionStream> MakePlainStream(int fd);

}  // namespace brock
