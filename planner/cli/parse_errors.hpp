#pragma once
// CLI11's parse errors in the project's words: which command, what was wrong, what was expected,
// and "did you mean" for a mistyped command or option ("titrate: plna: not a command; did you
// mean plan?"), instead of CLI11's "The following arguments were not expected: ...".
#include <CLI/CLI.hpp>

#include <string>
#include <vector>

namespace titrate::cli {

// `args`: argv without the program name. Pure: reads the command tree, changes nothing.
std::string explain_parse_error(const CLI::ParseError &e, CLI::App &root,
                                const std::vector<std::string> &args);

// The closest of `names` to `typed` within a small edit distance, or "" (for "did you mean").
std::string closest(const std::string &typed, const std::vector<std::string> &names);

} // namespace titrate::cli
