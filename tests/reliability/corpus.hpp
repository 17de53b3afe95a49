#pragma once
// The bad-input corpus (corpus.tsv): one case per line, data only. Each case names the command
// line, the files it needs, the exit code the CLI contract (design.md §4) asks for and a piece of
// text the message must contain (the bad value or field). The runner lives in corpus_test.cpp.
#include <string>
#include <vector>

namespace titrate::reliability {

// How a case's temporary folder is prepared, applied in order before the command runs.
struct FileStep {
  enum class Kind { write, copy, replace } kind = Kind::write;
  std::string name;    // path inside the case folder; "-stdin" is the command's standard input
  std::string content; // write: the bytes; copy: a path under the source tree; replace: old text
  std::string with;    // replace: the new text
};

struct Case {
  std::string id; // "csv-017": the prefix before '-' is its group
  int line = 0;   // in corpus.tsv, for failure messages
  int exit_code = 2;
  std::vector<std::string> must_contain; // alternatives, matched case-insensitively
  std::vector<std::string> args;         // after --db/--today come from the environment
  std::vector<FileStep> files;
  std::string group() const { return id.substr(0, id.find('-')); }
};

// Escapes: \s space, \t tab, \n newline, \r, \\ backslash, \xHH any byte, \e (a whole token) the
// empty string; {{rep N TEXT}} expands to TEXT repeated N times (TEXT may hold escapes).
std::string unescape(const std::string &text);
std::string expand(const std::string &text);

// Throws std::runtime_error "corpus.tsv:LINE: ..." on a malformed line.
std::vector<Case> parse_corpus(const std::string &text);

} // namespace titrate::reliability
