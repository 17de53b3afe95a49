// The two observation files (score_csv.hpp) over the one CSV reader of csv.hpp: pain scores
// `patient_id,at,score,note` and adverse effects `at,description,severity`.
#include "planner/core/score_csv.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/patient.hpp"
#include "planner/core/text.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>

namespace titrate {

using csv_detail::at_line;

namespace {

struct Column {
  std::string name;
  bool required = false;
};

std::string expected_columns(const std::vector<Column> &columns) {
  std::string expected;
  for (const auto &c : columns) {
    expected += (expected.empty() ? "" : ",") + c.name + (c.required ? "" : " (optional)");
  }
  return expected;
}

// Maps the header record's names to their positions. Unknown, repeated or missing columns are
// errors, handed to `add`.
template <typename Add>
std::map<std::string, std::size_t> header_index(const CsvRecord &h, std::string_view file,
                                                const std::vector<Column> &columns, Add add) {
  const std::string expected = expected_columns(columns);
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < h.fields.size(); ++i) {
    const std::string &name = h.fields[i];
    const bool known = std::any_of(columns.begin(), columns.end(),
                                   [&](const Column &c) { return c.name == name; });
    if (!known) {
      add(at_line(file, 1) + "header: unknown column " + quoted(name) + "; expected " + expected);
    } else if (index.count(name)) {
      add(at_line(file, 1) + "header: column " + quoted(name) +
          " appears twice; expected each column once");
    } else {
      index[name] = i;
    }
  }
  for (const auto &c : columns) {
    if (c.required && !index.count(c.name)) {
      add(at_line(file, 1) + "header: missing column \"" + c.name + "\"; expected " + expected);
    }
  }
  return index;
}

// The same over a whole CsvText (its first record, if that is line 1).
std::map<std::string, std::size_t> read_header(const CsvText &csv, std::string_view file,
                                               const std::vector<Column> &columns,
                                               std::vector<std::string> &errors) {
  if (csv.records.empty() || csv.records.front().line != 1) {
    // A header line that failed to parse was already reported; an empty file was not.
    if (csv.errors.empty()) {
      errors.push_back(at_line(file, 1) + "no header line; expected " + expected_columns(columns));
    }
    return {};
  }
  return header_index(csv.records.front(), file, columns,
                      [&](std::string e) { errors.push_back(std::move(e)); });
}

// The number-of-fields rule of a data record against the header's width: "" when it holds.
std::string width_error(const CsvRecord &rec, std::size_t width) {
  if (rec.fields.size() == width)
    return {};
  if (rec.fields.size() == 1 && rec.fields.front().empty()) {
    return "empty line; expected " + std::to_string(width) + " fields as in the header";
  }
  return "expected " + std::to_string(width) + " fields as in the header, found " +
         std::to_string(rec.fields.size());
}

// Runs `parse` on each data record with the right number of fields, collecting its InputErrors
// (whose messages already start with the column name) as "FILE:LINE: COLUMN: message".
template <typename Row, typename Parse>
std::vector<Row> parse_rows(const CsvText &csv, std::string_view file, std::size_t width,
                            std::vector<std::string> &errors, Parse parse) {
  std::vector<Row> rows;
  for (std::size_t r = 1; r < csv.records.size(); ++r) {
    const CsvRecord &rec = csv.records[r];
    if (const std::string e = width_error(rec, width); !e.empty()) {
      errors.push_back(at_line(file, rec.line) + e);
      continue;
    }
    Row row;
    row.line = rec.line;
    const std::size_t before = errors.size();
    parse(rec, row,
          [&](const InputError &e) { errors.push_back(at_line(file, rec.line) + e.what()); });
    if (errors.size() == before)
      rows.push_back(std::move(row));
  }
  return rows;
}

template <typename F, typename OnError> void guarded(F f, OnError on_error) {
  try {
    f();
  } catch (const InputError &e) {
    on_error(e);
  }
}

} // namespace

ScoreCsvReader::ScoreCsvReader(ByteSource source, std::string_view file_name,
                               bool patient_id_required, std::size_t max_shown)
    : file_(file_name), patient_id_required_(patient_id_required),
      errors_(std::string(file_name), max_shown),
      csv_(std::move(source), file_name, [this](std::string e) { errors_.add(std::move(e)); }) {}

void ScoreCsvReader::read_header() {
  header_done_ = true;
  const std::vector<Column> columns = {
      {"patient_id", patient_id_required_}, {"at", true}, {"score", true}, {"note", false}};
  std::map<std::string, std::size_t> index;
  const bool have = csv_.next(rec_);
  if (have && rec_.line == 1) {
    index =
        header_index(rec_, file_, columns, [this](std::string e) { errors_.add(std::move(e)); });
    width_ = rec_.fields.size();
  } else if (!have && errors_.empty()) {
    errors_.add(at_line(file_, 1) + "no header line; expected " + expected_columns(columns));
  }
  // A header line that failed to parse was already reported. Without the required columns no
  // row can be read: report the syntax faults of the rest of the file with it.
  for (const auto &c : columns) {
    if (c.required && !index.count(c.name)) {
      while (csv_.next(rec_)) {
      }
      errors_.throw_if_any();
    }
  }
  const auto col = [&](const char *name) -> std::optional<std::size_t> {
    auto it = index.find(name);
    return it == index.end() ? std::nullopt : std::optional<std::size_t>(it->second);
  };
  pid_ = col("patient_id");
  at_ = col("at");
  score_ = col("score");
  note_ = col("note");
}

bool ScoreCsvReader::next(ScoreRow &row) {
  if (!header_done_)
    read_header();
  while (csv_.next(rec_)) {
    if (const std::string e = width_error(rec_, width_); !e.empty()) {
      errors_.add(at_line(file_, rec_.line) + e);
      continue;
    }
    bool bad = false;
    const auto on_error = [&](const InputError &e) {
      errors_.add(at_line(file_, rec_.line) + e.what());
      bad = true;
    };
    row.line = rec_.line;
    row.patient_id.clear();
    row.note.clear();
    if (pid_) {
      std::string &v = rec_.fields[*pid_];
      if (v.empty()) {
        if (patient_id_required_)
          on_error(InputError("patient_id: empty; expected the patient's id"));
      } else {
        guarded([&] { validate_patient_id(v); },
                [&](const InputError &) {
                  on_error(InputError("patient_id: " + quoted(v) +
                                      " is not a patient id; expected 1-64 characters of "
                                      "letters, digits, '.', '_' or '-'"));
                });
        row.patient_id = std::move(v);
      }
    }
    guarded([&] { row.at = parse_local_datetime(rec_.fields[*at_], "at"); }, on_error);
    guarded([&] { row.score = PainScore::parse(rec_.fields[*score_], "score"); }, on_error);
    if (note_)
      row.note = std::move(rec_.fields[*note_]);
    if (!bad)
      return true;
  }
  return false;
}

std::vector<ScoreRow> parse_score_csv(std::string_view text, std::string_view file_name,
                                      bool patient_id_required) {
  ScoreCsvReader in(text_source(text), file_name, patient_id_required);
  std::vector<ScoreRow> rows;
  ScoreRow row;
  while (in.next(row))
    rows.push_back(row);
  in.errors().throw_if_any();
  return rows;
}

std::vector<AdverseEffectRow> parse_adverse_effect_csv(std::string_view text,
                                                       std::string_view file_name) {
  const CsvText csv = read_csv(text, file_name);
  std::vector<std::string> errors = csv.errors;
  const std::vector<Column> columns = {{"at", true}, {"description", true}, {"severity", true}};
  const auto index = read_header(csv, file_name, columns, errors);
  if (index.size() != columns.size())
    throw_if_errors(errors, file_name);
  const std::size_t at = index.at("at"), desc = index.at("description"), sev = index.at("severity");
  const std::size_t width = csv.records.front().fields.size();

  auto rows = parse_rows<AdverseEffectRow>(
      csv, file_name, width, errors,
      [&](const CsvRecord &rec, AdverseEffectRow &row, auto on_error) {
        guarded([&] { row.at = parse_local_datetime(rec.fields[at], "at"); }, on_error);
        if (rec.fields[desc].empty()) {
          on_error(InputError("description: empty; expected what the patient noticed, e.g. "
                              "nausea"));
        }
        row.description = rec.fields[desc];
        guarded([&] { row.severity = parse_enum<AeSeverity>(rec.fields[sev], "severity"); },
                on_error);
      });
  throw_if_errors(errors, file_name);
  return rows;
}

} // namespace titrate
