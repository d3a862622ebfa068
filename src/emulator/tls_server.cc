#include "emulator/tls_server.h"

#include <openssl/err.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <fstream>

namespace brock {

namespace {

// The queued OpenSSL errors as one line (and the queue cleared).
std::string OpenSslErrors() {
  std::string out;
  while (unsigned long e = ERR_get_error()) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    if (!out.empty()) out += "; ";
    out += buf;
  }
  return out.empty() ? "unknown OpenSSL error" : out;
}

// Offers "http/1.1" when the client lists it; otherwise no ALPN (the client falls back to it).
int SelectAlpn(SSL*, const unsigned char** out, unsigned char* outlen, const unsigned char* in,
               unsigned int inlen, void*) {
  for (unsigned int i = 0; i < inlen;) {
    unsigned int len = in[i];
    if (i + 1 + len > inlen) break;
    if (len == 8 && std::memcmp(in + i + 1, "http/1.1", 8) == 0) {
      *out = in + i + 1;
      *outlen = static_cast<unsigned char>(len);
      return SSL_TLSEXT_ERR_OK;
    }
    i += 1 + len;
  }
  return SSL_TLSEXT_ERR_NOACK;
}

void SetReceiveTimeout(int fd, std::chrono::milliseconds timeout) {
  timeval tv{};
  tv.tv_sec = static_cast<time_t>(timeout.count() / 1000);
  tv.tv_usec = static_cast<suseconds_t>((timeout.count() % 1000) * 1000);
  ::setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
}

class TlsStream final : public ConnectionStream {
 public:
  TlsStream(SSL* ssl, int fd) : ssl_(ssl), fd_(fd) {}
  ~TlsStream() override {
    if (!broken_) SSL_shutdown(ssl_);  // close_notify, best effort
    SSL_free(ssl_);
  }
  int fd() const override { return fd_; }
  bool HasBuffered() const override { return SSL_pending(ssl_) > 0; }
  ssize_t Read(char* buf, size_t n) override {
    if (broken_) return -1;
    int want = n > (1u << 30) ? (1 << 30) : static_cast<int>(n);
    int r = SSL_read(ssl_, buf, want);
    if (r > 0) return r;
    int err = SSL_get_error(ssl_, r);
    ERR_clear_error();
    if (err == SSL_ERROR_ZERO_RETURN) return 0;
    broken_ = true;
    return -1;
  }
  bool WriteAll(std::string_view data) override {
    while (!data.empty()) {
      if (broken_) return false;
      int chunk = data.size() > (1u << 30) ? (1 << 30) : static_cast<int>(data.size());
      int r = SSL_write(ssl_, data.data(), chunk);
      if (r <= 0) {
        ERR_clear_error();
        broken_ = true;
        return false;
      }
      data.remove_prefix(static_cast<size_t>(r));
    }
    return true;
  }

 private:
  SSL* ssl_;
  int fd_;
  bool broken_ = false;
};

}  // namespace

struct TlsServerContext::Impl {
  SSL_CTX* ctx = nullptr;
  ~Impl() { SSL_CTX_free(ctx); }
};

TlsServerContext::TlsServerContext(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
TlsServerContext::~TlsServerContext() = default;

Result<std::unique_ptr<TlsServerContext>> TlsServerContext::Load(const std::string& cert_file,
                                                                 const std::string& key_file) {
  for (const auto& [flag, path] : {std::pair{"--tls-cert", &cert_file}, {"--tls-key", &key_file}}) {
    std::ifstream probe(*path);
    if (!probe) {
      return MakeError("emulator.tls",
                       std::string("cannot read ") + flag + " " + *path + ": " + strerror(errno),
                       std::string("give ") + flag + " a readable PEM file");
    }
  }
  ERR_clear_error();
  auto impl = std::make_unique<Impl>();
  impl->ctx = SSL_CTX_new(TLS_server_method());
  if (impl->ctx == nullptr) {
    return MakeError("emulator.tls", "cannot create a TLS context: " + OpenSslErrors());
  }
  SSL_CTX_set_min_proto_version(impl->ctx, TLS1_2_VERSION);
  SSL_CTX_set_options(impl->ctx, SSL_OP_IGNORE_UNEXPECTED_EOF);
  SSL_CTX_set_mode(impl->ctx, SSL_MODE_AUTO_RETRY);
  if (SSL_CTX_use_certificate_chain_file(impl->ctx, cert_file.c_str()) != 1) {
    return MakeError(
        "emulator.tls",
        "--tls-cert " + cert_file + " holds no usable PEM certificate: " + OpenSslErrors(),
        "give --tls-cert a PEM file starting with -----BEGIN CERTIFICATE-----");
  }
  if (SSL_CTX_use_PrivateKey_file(impl->ctx, key_file.c_str(), SSL_FILETYPE_PEM) != 1) {
    if (ERR_GET_REASON(ERR_peek_last_error()) == X509_R_KEY_VALUES_MISMATCH) {
      return MakeError("emulator.tls",
                       "--tls-key " + key_file +
                           " does not belong to the certificate in --tls-cert " + cert_file + ": " +
                           OpenSslErrors(),
                       "give the private key that was generated with that certificate");
    }
    return MakeError(
        "emulator.tls",
        "--tls-key " + key_file + " holds no usable PEM private key: " + OpenSslErrors(),
        "give --tls-key the unencrypted PEM private key of the certificate");
  }
  if (SSL_CTX_check_private_key(impl->ctx) != 1) {
    return MakeError("emulator.tls",
                     "--tls-key " + key_file +
                         " does not belong to the certificate in --tls-cert " + cert_file + ": " +
                         OpenSslErrors(),
                     "give the private key that was generated with that certificate");
  }
  SSL_CTX_set_alpn_select_cb(impl->ctx, &SelectAlpn, nullptr);
  return std::unique_ptr<TlsServerContext>(new TlsServerContext(std::move(impl)));
}

Result<std::unique_ptr<ConnectionStream>> TlsServerContext::Accept(
    int fd, std::chrono::milliseconds timeout) const {
  // OpenSSL writes with write(2): a peer that hung up would raise SIGPIPE. Connection threads
  // are dedicated, so block it for this thread (the write then fails with EPIPE).
  sigset_t pipe_set;
  sigemptyset(&pipe_set);
  sigaddset(&pipe_set, SIGPIPE);
  pthread_sigmask(SIG_BLOCK, &pipe_set, nullptr);

  ERR_clear_error();
  SSL* ssl = SSL_new(impl_->ctx);
  if (ssl == nullptr) {
    return MakeError("emulator.tls_handshake", "cannot create a TLS session: " + OpenSslErrors());
  }
  SSL_set_fd(ssl, fd);
  // Reads give up after `timeout` without data, during the handshake and afterwards (a client
  // stalled inside a TLS record).
  SetReceiveTimeout(fd, timeout);
  int r = SSL_accept(ssl);
  if (r != 1) {
    int err = SSL_get_error(ssl, r);
    std::string why =
        err == SSL_ERROR_SYSCALL && errno != 0 ? std::string(strerror(errno)) : OpenSslErrors();
    ERR_clear_error();
    SSL_free(ssl);
    return MakeError("emulator.tls_handshake", "TLS handshake failed: " + why);
  }
  return std::unique_ptr<ConnectionStream>(new TlsStream(ssl, fd));
}

}  // namespace brock
