#pragma once
// Parses and validates formulary TOML. Pure: callers hand in the text and its file name (for
// messages); nothing here opens a file. Every fault is a DataError
// "FILE:LINE: KEY: what is wrong; expected ...".
#include "planner/formulary/monograph.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace titrate {

struct TextFile {
  std::string name; // as shown in messages, e.g. "formulary/gabapentin.toml"
  std::string text;
};

Monograph parse_monograph(const TextFile &file, const Vocabulary &vocabulary);
Vocabulary parse_vocabulary(const TextFile &file);
std::vector<SwitchRule> parse_switching(const TextFile &file, const Vocabulary &vocabulary);

// All files of a formulary directory: vocabulary.toml, switching.toml and one file per drug.
// Validates across files too (switch rules name known drugs). Throws DataError on the first
// fault; check_formulary() collects all of them instead.
Formulary load_formulary(const std::vector<TextFile> &files);
std::vector<std::string> check_formulary(const std::vector<TextFile> &files);

} // namespace titrate
