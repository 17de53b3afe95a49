#pragma once
// Inside the formulary loader (internal to planner/formulary): what the monograph parser
// (monograph_parser.cpp), the vocabulary, switching and cross-file loader (loader.cpp) and the
// patient file reader (patient_file.cpp) share.
#include "planner/formulary/loader.hpp"
#include "planner/formulary/toml_reader.hpp"

#include <string>
#include <vector>

namespace titrate::formulary_parse {

using tomlr::Faults;
using tomlr::file_stem;
using tomlr::Table;
using tomlr::Value;

// "key[3]" for the element i = 2 of `key`, as messages name it.
std::string idx(const std::string &k, std::size_t i);
// A vocabulary word: lower-case letters, digits and inner hyphens.
bool is_vocab_word(const std::string &s);
// `confidence = "low" | "medium" | "medium-high" | "high"` of a citation (clinical.md H).
void read_confidence(Table &t, Citation &c);

// Each parser adds its faults to `f` and fills what it could read.
void parse_monograph_into(Faults &f, const TextFile &file, const Vocabulary &vocab, Monograph &m);

} // namespace titrate::formulary_parse
