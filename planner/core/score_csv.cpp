#include "planner/core/score_csv.hpp"
#include "planner/core/text.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/patient.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>

namespace titrate {

namespace {

std::string at_line(std::string_view file, int line) {
  return std::string(file) + ":" + std::to_string(line) + ": ";
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

namespace {
constexpr std::size_t chunk_bytes = 1 << 20;

std::string hex_byte(unsigned char v) {
  const char digits[] = "0123456789ABCDEF";
  return {digits[v >> 4], digits[v & 0xF]};
}
} // namespace

CsvStream::CsvStream(ByteSource source, std::string_view file_name,
                     std::function<void(std::string)> on_error)
    : source_(std::move(source)), file_(file_name), on_error_(std::move(on_error)) {}

void CsvStream::error(int line, const std::string &message) {
  on_error_(at_line(file_, line) + message);
}

void CsvStream::fill() {
  // Drop what both the parser and the UTF-8 check are done with; keep the rest.
  const std::size_t done = std::min(pos_, checked_);
  if (done > 0) {
    buf_.erase(0, done);
    pos_ -= done;
    checked_ -= done;
  }
  const std::size_t old = buf_.size();
  buf_.resize(old + chunk_bytes);
  const std::size_t got = source_(buf_.data() + old, chunk_bytes);
  buf_.resize(old + got);
  if (got == 0) eof_ = true;
  check_utf8();
}

// Reports each line holding invalid UTF-8 once, naming the first bad byte. A sequence cut by the
// end of the buffer waits for the next chunk.
void CsvStream::check_utf8() {
  const std::string_view text(buf_);
  std::size_t i = checked_;
  while (i < text.size()) {
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      if (c == '\n') ++utf8_line_;
      ++i;
      continue;
    }
    if (!eof_ && text.size() - i < 4) break;
    const std::size_t len = utf8_sequence(text, i);
    if (len == 0) {
      if (utf8_line_ != utf8_reported_) {
        error(utf8_line_, "invalid UTF-8 (byte 0x" + hex_byte(c) + "); expected a UTF-8 text file");
        utf8_reported_ = utf8_line_;
      }
      ++i;
    } else {
      i += len;
    }
  }
  checked_ = i;
}

bool CsvStream::more(std::size_t k) {
  while (buf_.size() - pos_ < k && !eof_) fill();
  return buf_.size() - pos_ >= k;
}

// After a syntax error the rest of the physical line is skipped, so later records are still
// checked and every fault is reported in one pass.
void CsvStream::skip_line() {
  while (more(1)) {
    const char *b = buf_.data() + pos_;
    const void *nl = std::memchr(b, '\n', buf_.size() - pos_);
    if (nl) {
      pos_ += static_cast<std::size_t>(static_cast<const char *>(nl) - b) + 1;
      ++line_;
      return;
    }
    pos_ = buf_.size();
  }
}

bool CsvStream::next(CsvRecord &rec) {
  if (!started_) {
    started_ = true;
    if (more(3) && std::string_view(buf_).substr(pos_, 3) == "\xEF\xBB\xBF") {
      pos_ += 3; // a BOM, as some spreadsheets write
    }
  }
  rec.fields.clear();
  while (more(1)) {
    rec.line = line_;
    rec.fields.clear();
    bool bad = false;
    bool done = false;
    while (!done) {
      std::string field;
      const int field_no = static_cast<int>(rec.fields.size()) + 1;
      if (more(1) && buf_[pos_] == '"') {
        const int opened = line_;
        ++pos_;
        bool closed = false;
        while (more(1)) {
          const char c = buf_[pos_];
          if (c == '"') {
            if (more(2) && buf_[pos_ + 1] == '"') {
              field += '"';
              pos_ += 2;
              continue;
            }
            ++pos_;
            closed = true;
            break;
          }
          if (c == '\n') ++line_;
          field += c;
          ++pos_;
        }
        if (!closed) {
          error(opened, "field " + std::to_string(field_no) +
                            ": a quoted field is not closed before the end of the file; "
                            "expected a closing \"");
          return false; // the quote ran to the end of the input
        }
        if (more(1) && buf_[pos_] != ',' && buf_[pos_] != '\n' &&
            !(buf_[pos_] == '\r' && more(2) && buf_[pos_ + 1] == '\n')) {
          error(line_, "field " + std::to_string(field_no) +
                           ": text after a closing quote; expected , or the end of the line "
                           "(write a quote inside a quoted field as \"\")");
          bad = true;
        }
      } else {
        // The common case, unquoted: copy the run up to the next special byte in one go.
        while (more(1)) {
          const std::size_t from = pos_;
          const std::size_t n = buf_.size();
          while (pos_ < n) {
            const char c = buf_[pos_];
            if (c == ',' || c == '\n' || c == '\r' || c == '"') break;
            ++pos_;
          }
          field.append(buf_, from, pos_ - from);
          if (pos_ < n) break;
        }
        if (more(1) && buf_[pos_] == '"') {
          error(line_, "field " + std::to_string(field_no) +
                           ": a quote inside an unquoted field; expected the whole field in "
                           "quotes with the quote doubled (\"\")");
          bad = true;
        } else if (more(1) && buf_[pos_] == '\r' && !(more(2) && buf_[pos_ + 1] == '\n')) {
          error(line_, "field " + std::to_string(field_no) +
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
      if (!more(1)) {
        done = true;
      } else if (buf_[pos_] == ',') {
        ++pos_;
      } else { // CRLF or LF
        pos_ += buf_[pos_] == '\r' ? 2 : 1;
        ++line_;
        done = true;
      }
    }
    if (!bad) return true;
  }
  return false;
}

CsvText read_csv(std::string_view text, std::string_view file_name) {
  CsvText out;
  std::size_t offset = 0;
  CsvStream in(
      [&](char *buffer, std::size_t capacity) {
        const std::size_t n = std::min(capacity, text.size() - offset);
        std::memcpy(buffer, text.data() + offset, n);
        offset += n;
        return n;
      },
      file_name, [&](std::string e) { out.errors.push_back(std::move(e)); });
  CsvRecord rec;
  while (in.next(rec)) out.records.push_back(std::move(rec));
  sort_by_line(out.errors, file_name);
  return out;
}

ErrorList::ErrorList(std::string file_name, std::size_t max_shown)
    : file_(std::move(file_name)), max_shown_(max_shown) {}

void ErrorList::add(std::string message) {
  ++count_;
  if (max_shown_ == 0) return;
  const long line = line_of(message, file_);
  if (first_.size() == max_shown_ && line >= std::prev(first_.end())->first) return;
  first_.emplace(line, std::move(message)); // after any equal line: the order added
  if (first_.size() > max_shown_) first_.erase(std::prev(first_.end()));
}

void ErrorList::throw_if_any() const {
  if (count_ == 0) return;
  std::string msg = file_ + ": " + std::to_string(count_) + (count_ == 1 ? " error" : " errors") +
                    "; nothing was read";
  for (const auto &[line, e] : first_) msg += "\n" + e;
  if (count_ > first_.size()) msg += "\nand " + std::to_string(count_ - first_.size()) + " more";
  throw InputError(msg);
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
  if (rec.fields.size() == width) return {};
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
    index = header_index(rec_, file_, columns, [this](std::string e) { errors_.add(std::move(e)); });
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
  if (!header_done_) read_header();
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
        if (patient_id_required_) on_error(InputError("patient_id: empty; expected the patient's id"));
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
    if (note_) row.note = std::move(rec_.fields[*note_]);
    if (!bad) return true;
  }
  return false;
}

std::vector<ScoreRow> parse_score_csv(std::string_view text, std::string_view file_name,
                                      bool patient_id_required) {
  std::size_t offset = 0;
  ScoreCsvReader in(
      [&](char *buffer, std::size_t capacity) {
        const std::size_t n = std::min(capacity, text.size() - offset);
        std::memcpy(buffer, text.data() + offset, n);
        offset += n;
        return n;
      },
      file_name, patient_id_required);
  std::vector<ScoreRow> rows;
  ScoreRow row;
  while (in.next(row)) rows.push_back(row);
  in.errors().throw_if_any();
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
