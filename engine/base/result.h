// Result<T> and Error: the engine's only error channel (no exceptions).
// An Error carries a stable kind, a position (byte offset for binaries, or a
// line/column for text) and a human message in the specification's wording.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <variant>

namespace tandem {

enum class ErrorKind : uint8_t {
  Malformed,   // binary decode or text parse failure (assert_malformed)
  Invalid,     // validation failure (assert_invalid)
  Unlinkable,  // import resolution failure (assert_unlinkable)
  Trap,        // a runtime trap (assert_trap)
  Exhaustion,  // resource exhaustion such as call depth (assert_exhaustion)
  Exception,   // an uncaught wasm exception (assert_exception)
  Unsupported, // uses a feature that is disabled or not implemented
  Io,          // a file could not be read or written
  Usage,       // bad command-line or API usage
  Internal,    // an engine bug; never expected
};

const char* error_kind_name(ErrorKind kind);

struct Error {
  ErrorKind kind = ErrorKind::Internal;
  uint64_t offset = 0; // byte offset, or 0 when unknown
  uint32_t line = 0;   // 1-based text line, or 0 when not from text
  uint32_t column = 0; // 1-based text column
  std::string message;

  static Error malformed(uint64_t offset, std::string msg) {
    return Error{ErrorKind::Malformed, offset, 0, 0, std::move(msg)};
  }
  static Error invalid(uint64_t offset, std::string msg) {
    return Error{ErrorKind::Invalid, offset, 0, 0, std::move(msg)};
  }
  static Error make(ErrorKind kind, std::string msg) {
    return Error{kind, 0, 0, 0, std::move(msg)};
  }
  static Error at_text(ErrorKind kind, uint32_t line, uint32_t column, std::string msg) {
    return Error{kind, 0, line, column, std::move(msg)};
  }
};

// A value or an Error. Cheap to move; check ok() before value().
template <typename T> class [[nodiscard]] Result {
public:
  Result(T value) : v_(std::move(value)) {}
  Result(Error error) : v_(std::move(error)) {}
  bool ok() const { return v_.index() == 0; }
  explicit operator bool() const { return ok(); }
  T& value() & { return std::get<0>(v_); }
  const T& value() const& { return std::get<0>(v_); }
  T&& value() && { return std::get<0>(std::move(v_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const Error& error() const& { return std::get<1>(v_); }
  Error&& error() && { return std::get<1>(std::move(v_)); }

private:
  std::variant<T, Error> v_;
};

// Result<void>: success or an Error.
template <> class [[nodiscard]] Result<void> {
public:
  Result() = default;
  Result(Error error) : err_(std::move(error)), failed_(true) {}
  bool ok() const { return !failed_; }
  explicit operator bool() const { return ok(); }
  const Error& error() const& { return err_; }
  Error&& error() && { return std::move(err_); }

private:
  Error err_;
  bool failed_ = false;
};

using Status = Result<void>;

} // namespace tandem

// Propagate an error from an expression returning Result<...>.
#define TANDEM_TRY(expr)                                                                           \
  do {                                                                                             \
    auto&& tandem_try_r_ = (expr);                                                                 \
    if (!tandem_try_r_.ok()) return std::move(tandem_try_r_).error();                             \
  } while (0)

#define TANDEM_CONCAT_INNER(a, b) a##b
#define TANDEM_CONCAT(a, b) TANDEM_CONCAT_INNER(a, b)
// Bind the value of a Result<T> expression to `decl`, or propagate its error.
#define TANDEM_ASSIGN(decl, expr) TANDEM_ASSIGN_IMPL(TANDEM_CONCAT(tandem_r_, __LINE__), decl, expr)
#define TANDEM_ASSIGN_IMPL(tmp, decl, expr)                                                        \
  auto tmp = (expr);                                                                               \
  if (!tmp.ok()) return std::move(tmp).error();                                                    \
  decl = std::move(tmp).value()
