#pragma once
// Reading the data files: one text file, or every *.toml of a folder (the formulary, the
// pathways). Every reader of shipped data goes through these (the CLI, the tests, the benches).
#include "planner/formulary/loader.hpp"

#include <string>
#include <vector>

namespace titrate {

// Reads a whole file; InputError "WHAT: cannot read PATH: reason" when it cannot.
TextFile read_text_file(const std::string &path, const std::string &what);
// Every *.toml directly in `dir`, sorted by name. InputError if the folder cannot be read.
std::vector<TextFile> read_toml_dir(const std::string &dir);

} // namespace titrate
