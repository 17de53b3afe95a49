#include "planner/core/score_csv.hpp"
#include "planner/core/text.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/patient.hpp"

#include <algorithm>
#include <map>
#include <optional>

namespace titrate {

namespace {

std::string at_line(std::string_view file, int line) {
  return std::string(file) + ":" + std::to_string(line) + ": ";
}


void check_utf8(std::string_view text, std::string_view file, std::vector<std::string> &errors) {
  int line = 1;
  int last_reported = 0;
  for (std::size_t i = 0; i < text.size();) {
    if (text[i] == '\n') ++line;
    const std::size_t len = utf8_sequence(text, i);
    if (len == 0) {
      if (line != last_reported) {
        char hex[8];
        const unsigned v = static_cast<unsigned char>(text[i]);
        hex[0] = "0123456789ABCDEF"[v >> 4];
        hex[1] = "0123456789ABCDEF"[v & 0xF];
        hex[2] = '\0';
        errors.push_back(at_line(file, line) + "invalid UTF-8 (byte 0x" + hex +
                         "); expected a UTF-8 text file");
        last_reported = line;
      }
      ++i;
    } else {
      i += len;
    }
  }
}

// The LINE of a "FILE:LINE: ..." message (0 if it has none), to list faults in file order.
long line_of(const std::string &error, std::string_view file) {
  if (error.compare(0, file.size(), file) != 0 || error.size() <= file.size() ||
      error[file.size()] != ':')
    return 0;
  long v = 0;
  for (std::size_t i = file.size() + 1; i < error.size() && error[i] >= '0' && error[i] <= '9'; ++i)
    v = v * 10 + (error[i] - '0');
  return v;
}

void sort_by_line(std::vector<std::string> &errors, std::string_view file) {
  std::stable_sort(errors.begin(), errors.end(), [&](const std::string &a, const std::string &b) {
    return line_of(a, file) < line_of(b, file);
  });
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  for (char c : s.substr(0, 64)) out += (static_cast<unsigned char>(c) < 0x20) ? '?' : c;
  if (s.size() > 64) out += "...";
  return out + "\"";
}

} // namespace

CsvText read_csv(std::string_view text, std::string_view file_name) {
  CsvText out;
  check_utf8(text, file_name, out.errors);

  std::size_t pos = 0;
  if (text.substr(0, 3) == "\xEF\xBB\xBF") pos = 3; // a BOM, as some spreadsheets write
  const std::size_t n = text.size();
  int line = 1;

  // After a syntax error the rest of the physical line is skipped, so later records are still
  // checked and every fault is reported in one pass.
  const auto skip_line = [&] {
    while (pos < n && text[pos] != '\n') ++pos;
    if (pos < n) {
      ++pos;
      ++line;
    }
  };

  while (pos < n) {
    CsvRecord rec;
    rec.line = line;
    bool bad = false;
    bool done = false;
    while (!done) {
      std::string field;
      const int field_no = static_cast<int>(rec.fields.size()) + 1;
      if (pos < n && text[pos] == '"') {
        const int opened = line;
        ++pos;
        bool closed = false;
        while (pos < n) {
          const char c = text[pos];
          if (c == '"') {
            if (pos + 1 < n && text[pos + 1] == '"') {
              field += '"';
              pos += 2;
              continue;
            }
            ++pos;
            closed = true;
            break;
          }
          if (c == '\n') ++line;
          field += c;
          ++pos;
        }
        if (!closed) {
          out.errors.push_back(at_line(file_name, opened) + "field " + std::to_string(field_no) +
                               ": a quoted field is not closed before the end of the file; "
                               "expected a closing \"");
          sort_by_line(out.errors, file_name);
          return out;
        }
        if (pos < n && text[pos] != ',' && text[pos] != '\n' &&
            !(text[pos] == '\r' && pos + 1 < n && text[pos + 1] == '\n')) {
          out.errors.push_back(at_line(file_name, line) + "field " + std::to_string(field_no) +
                               ": text after a closing quote; expected , or the end of the line "
                               "(write a quote inside a quoted field as \"\")");
          bad = true;
        }
      } else {
        while (pos < n && text[pos] != ',' && text[pos] != '\n' && text[pos] != '\r' &&
               text[pos] != '"') {
          field += text[pos];
          ++pos;
        }
        if (pos < n && text[pos] == '"') {
          out.errors.push_back(at_line(file_name, line) + "field " + std::to_string(field_no) +
                               ": a quote inside an unquoted field; expected the whole field in "
                               "quotes with the quote doubled (\"\")");
          bad = true;
        } else if (pos < n && text[pos] == '\r' && !(pos + 1 < n && text[pos + 1] == '\n')) {
          out.errors.push_back(at_line(file_name, line) + "field " + std::to_string(field_no) +
                               ": a carriage return not followed by a line feed; expected "
                               "lines ending in CRLF or LF");
          bad = true;
        }
      }
      if (bad) {
        skip_line();
        break;
      }
      rec.fields.push_back(std::move(field));
      if (pos >= n) {
        done = true;
      } else if (text[pos] == ',') {
        ++pos;
      } else { // CRLF or LF
        pos += text[pos] == '\r' ? 2 : 1;
        ++line;
        done = true;
      }
    }
    if (!bad) out.records.push_back(std::move(rec));
  }
  sort_by_line(out.errors, file_name);
  return out;
}

void throw_if_errors(const std::vector<std::string> &errors, std::string_view file_name,
                     std::size_t max_shown) {
  if (errors.empty()) return;
  std::vector<std::string> sorted = errors;
  sort_by_line(sorted, file_name);
  std::string msg = std::string(file_name) + ": " + std::to_string(errors.size()) +
                    (errors.size() == 1 ? " error" : " errors") + "; nothing was read";
  const std::size_t shown = std::min(errors.size(), max_shown);
  for (std::size_t i = 0; i < shown; ++i) msg += "\n" + sorted[i];
  if (errors.size() > shown) {
    msg += "\nand " + std::to_string(errors.size() - shown) + " more";
  }
  throw InputError(msg);
}

namespace {

struct Column {
  std::string name;
  bool required = false;
};

// Maps header names to their positions. Unknown, repeated or missing columns are errors.
std::map<std::string, std::size_t> read_header(const CsvText &csv, std::string_view file,
                                               const std::vector<Column> &columns,
                                               std::vector<std::string> &errors) {
  std::string expected;
  for (const auto &c : columns) {
    expected += (expected.empty() ? "" : ",") + c.name + (c.required ? "" : " (optional)");
  }
  std::map<std::string, std::size_t> index;
  if (csv.records.empty() || csv.records.front().line != 1) {
    // A header line that failed to parse was already reported; an empty file was not.
    if (csv.errors.empty()) {
      errors.push_back(at_line(file, 1) + "no header line; expected " + expected);
    }
    return index;
  }
  const CsvRecord &h = csv.records.front();
  for (std::size_t i = 0; i < h.fields.size(); ++i) {
    const std::string &name = h.fields[i];
    const bool known = std::any_of(columns.begin(), columns.end(),
                                   [&](const Column &c) { return c.name == name; });
    if (!known) {
      errors.push_back(at_line(file, 1) + "header: unknown column " + quoted(name) +
                       "; expected " + expected);
    } else if (index.count(name)) {
      errors.push_back(at_line(file, 1) + "header: column " + quoted(name) +
                       " appears twice; expected each column once");
    } else {
      index[name] = i;
    }
  }
  for (const auto &c : columns) {
    if (c.required && !index.count(c.name)) {
      errors.push_back(at_line(file, 1) + "header: missing column \"" + c.name + "\"; expected " +
                       expected);
    }
  }
  return index;
}

// Runs `parse` on each data record with the right number of fields, collecting its InputErrors
// (whose messages already start with the column name) as "FILE:LINE: COLUMN: message".
template <typename Row, typename Parse>
std::vector<Row> parse_rows(const CsvText &csv, std::string_view file, std::size_t width,
                            std::vector<std::string> &errors, Parse parse) {
  std::vector<Row> rows;
  for (std::size_t r = 1; r < csv.records.size(); ++r) {
    const CsvRecord &rec = csv.records[r];
    if (rec.fields.size() != width) {
      if (rec.fields.size() == 1 && rec.fields.front().empty()) {
        errors.push_back(at_line(file, rec.line) + "empty line; expected " +
                         std::to_string(width) + " fields as in the header");
      } else {
        errors.push_back(at_line(file, rec.line) + "expected " + std::to_string(width) +
                         " fields as in the header, found " + std::to_string(rec.fields.size()));
      }
      continue;
    }
    Row row;
    row.line = rec.line;
    const std::size_t before = errors.size();
    parse(rec, row, [&](const InputError &e) {
      errors.push_back(at_line(file, rec.line) + e.what());
    });
    if (errors.size() == before) rows.push_back(std::move(row));
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

std::vector<ScoreRow> parse_score_csv(std::string_view text, std::string_view file_name,
                                      bool patient_id_required) {
  const CsvText csv = read_csv(text, file_name);
  std::vector<std::string> errors = csv.errors;
  const std::vector<Column> columns = {
      {"patient_id", patient_id_required}, {"at", true}, {"score", true}, {"note", false}};
  const auto index = read_header(csv, file_name, columns, errors);
  // Without the required columns no row can be read; otherwise keep going to report every row.
  for (const auto &c : columns)
    if (c.required && !index.count(c.name)) throw_if_errors(errors, file_name);

  const auto col = [&](const char *name) -> std::optional<std::size_t> {
    auto it = index.find(name);
    return it == index.end() ? std::nullopt : std::optional<std::size_t>(it->second);
  };
  const auto pid = col("patient_id"), at = col("at"), score = col("score"), note = col("note");
  const std::size_t width = csv.records.empty() ? 0 : csv.records.front().fields.size();

  auto rows = parse_rows<ScoreRow>(
      csv, file_name, width, errors, [&](const CsvRecord &rec, ScoreRow &row, auto on_error) {
        if (pid) {
          const std::string &v = rec.fields[*pid];
          if (v.empty()) {
            if (patient_id_required) {
              on_error(InputError("patient_id: empty; expected the patient's id"));
            }
          } else {
            guarded([&] { validate_patient_id(v); },
                    [&](const InputError &) {
                      on_error(InputError("patient_id: " + quoted(v) +
                                          " is not a patient id; expected 1-64 characters of "
                                          "letters, digits, '.', '_' or '-'"));
                    });
            row.patient_id = v;
          }
        }
        guarded([&] { row.at = parse_local_datetime(rec.fields[*at], "at"); }, on_error);
        guarded([&] { row.score = PainScore::parse(rec.fields[*score], "score"); }, on_error);
        if (note) row.note = rec.fields[*note];
      });
  throw_if_errors(errors, file_name);
  return rows;
}

std::vector<AdverseEffectRow> parse_adverse_effect_csv(std::string_view text,
                                                       std::string_view file_name) {
  const CsvText csv = read_csv(text, file_name);
  std::vector<std::string> errors = csv.errors;
  const std::vector<Column> columns = {{"at", true}, {"description", true}, {"severity", true}};
  const auto index = read_header(csv, file_name, columns, errors);
  if (index.size() != columns.size()) throw_if_errors(errors, file_name);
  const std::size_t at = index.at("at"), desc = index.at("description"),
                    sev = index.at("severity");
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
        guarded([&] { row.severity = parse_ae_severity(rec.fields[sev], "severity"); }, on_error);
      });
  throw_if_errors(errors, file_name);
  return rows;
}

} // namespace titrate
