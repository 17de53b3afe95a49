#pragma once
// Typed failures. Every error a user can cause carries the exit code the CLI maps it to
// (docs/cli.md): 2 bad input, 3 not found, 4 refused by a clinical/role/state rule, 1 internal.
// Clinical findings are not errors: they are data (see finding.hpp).
#include <stdexcept>
#include <string>

namespace titrate {

enum class ExitCode : int { ok = 0, internal = 1, bad_input = 2, not_found = 3, refused = 4 };

class Error : public std::runtime_error {
public:
  Error(ExitCode code, const std::string &message) : std::runtime_error(message), code_(code) {}
  ExitCode code() const noexcept { return code_; }

private:
  ExitCode code_;
};

// A value from the user (argument, patient file, CSV row) is malformed or out of range.
class InputError : public Error {
public:
  explicit InputError(const std::string &message) : Error(ExitCode::bad_input, message) {}
};

// A shipped or edited data file (formulary, pathway) breaks its schema: "file:line: key: ...".
class DataError : public Error {
public:
  explicit DataError(const std::string &message) : Error(ExitCode::bad_input, message) {}
};

class NotFoundError : public Error {
public:
  explicit NotFoundError(const std::string &message) : Error(ExitCode::not_found, message) {}
};

// Refused by a clinical rule (pregnancy), a role rule or a state rule (four eyes).
class RefusedError : public Error {
public:
  explicit RefusedError(const std::string &message) : Error(ExitCode::refused, message) {}
};

class StorageError : public Error {
public:
  explicit StorageError(const std::string &message) : Error(ExitCode::internal, message) {}
};

} // namespace titrate
