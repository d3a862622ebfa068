// Error and Result<T>: how every layer reports failure without exceptions crossing module walls.
//
// An Error is what a user reads: a stable machine code ("region.missing"), a one-line message
// that names the cause (and where the offending value came from), and a fix that says what to do.
// Error text must never contain a secret; see base/secrets.h.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace brock {

struct Error {
  std::string code;        // stable identifier, dotted: "region.missing", "bedrock.access_denied"
  std::string message;     // one line: what went wrong, naming the value and its source
  std::string fix;         // what the user should do about it; may be empty for internal errors
  int http_status = 0;     // HTTP status when the error came from a service, else 0
  bool retryable = false;  // true when the same request may succeed if sent again

  // "message\n  fix: ..." as printed to a terminal.
  std::string ToString() const;
};

// Builds an Error; the common case.
Error MakeError(std::string code, std::string message, std::string fix = {});

// Holds either a T or an Error.
template <class T>
class [[nodiscard]] Result {
 public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}

  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }

  // Precondition: ok().
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // Precondition: !ok().
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

 private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
template <>
class [[nodiscard]] Result<void> {
 public:
  Result() = default;
  Result(Error error) : error_(std::move(error)) {}

  bool ok() const { return !error_.has_value(); }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return *error_; }
  Error&& error() && { return std::move(*error_); }

 private:
  std::optional<Error> error_;
};

using Status = Result<void>;

}  // namespace brock
