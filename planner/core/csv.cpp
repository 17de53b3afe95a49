// Strict RFC 4180 CSV (csv.hpp): the one streaming reader every CSV input goes through, and the
// list of faults an all-or-nothing reader keeps.
#include "planner/core/csv.hpp"
#include "planner/core/text.hpp"

#include "planner/core/errors.hpp"
#include "planner/core/patient.hpp"

#include <algorithm>
#include <cstring>
#include <map>
#include <optional>

namespace titrate {

namespace csv_detail {

std::string at_line(std::string_view file, int line) {
  return std::string(file) + ":" + std::to_string(line) + ": ";
}

} // namespace csv_detail

using csv_detail::at_line;

namespace {

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
  if (got == 0)
    eof_ = true;
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
      if (c == '\n')
        ++utf8_line_;
      ++i;
      continue;
    }
    if (!eof_ && text.size() - i < 4)
      break;
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
  while (buf_.size() - pos_ < k && !eof_)
    fill();
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
          if (c == '\n')
            ++line_;
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
            if (c == ',' || c == '\n' || c == '\r' || c == '"')
              break;
            ++pos_;
          }
          field.append(buf_, from, pos_ - from);
          if (pos_ < n)
            break;
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
    if (!bad)
      return true;
  }
  return false;
}

ByteSource text_source(std::string_view text) {
  return [text, offset = std::size_t{0}](char *buffer, std::size_t capacity) mutable {
    const std::size_t n = std::min(capacity, text.size() - offset);
    std::memcpy(buffer, text.data() + offset, n);
    offset += n;
    return n;
  };
}

CsvText read_csv(std::string_view text, std::string_view file_name) {
  CsvText out;
  CsvStream in(text_source(text), file_name,
               [&](std::string e) { out.errors.push_back(std::move(e)); });
  CsvRecord rec;
  while (in.next(rec))
    out.records.push_back(std::move(rec));
  sort_by_line(out.errors, file_name);
  return out;
}

ErrorList::ErrorList(std::string file_name, std::size_t max_shown)
    : file_(std::move(file_name)), max_shown_(max_shown) {}

void ErrorList::add(std::string message) {
  ++count_;
  if (max_shown_ == 0)
    return;
  const long line = line_of(message, file_);
  if (first_.size() == max_shown_ && line >= std::prev(first_.end())->first)
    return;
  first_.emplace(line, std::move(message)); // after any equal line: the order added
  if (first_.size() > max_shown_)
    first_.erase(std::prev(first_.end()));
}

void ErrorList::throw_if_any() const {
  if (count_ == 0)
    return;
  std::string msg = file_ + ": " + std::to_string(count_) + (count_ == 1 ? " error" : " errors") +
                    "; nothing was read";
  for (const auto &[line, e] : first_)
    msg += "\n" + e;
  if (count_ > first_.size())
    msg += "\nand " + std::to_string(count_ - first_.size()) + " more";
  throw InputError(msg);
}

void throw_if_errors(const std::vector<std::string> &errors, std::string_view file_name,
                     std::size_t max_shown) {
  if (errors.empty())
    return;
  std::vector<std::string> sorted = errors;
  sort_by_line(sorted, file_name);
  std::string msg = std::string(file_name) + ": " + std::to_string(errors.size()) +
                    (errors.size() == 1 ? " error" : " errors") + "; nothing was read";
  const std::size_t shown = std::min(errors.size(), max_shown);
  for (std::size_t i = 0; i < shown; ++i)
    msg += "\n" + sorted[i];
  if (errors.size() > shown) {
    msg += "\nand " + std::to_string(errors.size() - shown) + " more";
  }
  throw InputError(msg);
}

} // namespace titrate
