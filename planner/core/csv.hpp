#pragma once
// Strict RFC 4180 CSV reading (design.md §6): one streaming reader (CsvStream) that every CSV
// input goes through, read_csv() over text in memory, and the fault list of an all-or-nothing
// reader (ErrorList, throw_if_errors). Pure: the caller hands in the bytes and the file name used
// in messages ("FILE:LINE: message").
#include <cstddef>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace titrate {

// One CSV record: its fields (quotes removed, "" unescaped) and the line it starts on (1-based).
struct CsvRecord {
  int line = 0;
  std::vector<std::string> fields;
};

// The result of reading CSV text: every record that could be read and every syntax error
// ("FILE:LINE: message"). A leading UTF-8 BOM is skipped; the text must be valid UTF-8;
// records end in CRLF or LF (the last one may have neither); a quoted field may hold commas,
// line breaks and "" (a quote); an unquoted field may hold no quote and no bare CR.
struct CsvText {
  std::vector<CsvRecord> records;
  std::vector<std::string> errors;
};
CsvText read_csv(std::string_view text, std::string_view file_name);

// Where a streaming reader gets its bytes: copies up to `capacity` bytes into `buffer` and returns
// how many; 0 means the end of the input. It may throw (e.g. an InputError for a read failure).
using ByteSource = std::function<std::size_t(char *buffer, std::size_t capacity)>;
// The bytes of `text`, in order (it must outlive the source).
ByteSource text_source(std::string_view text);

// The records of read_csv(), read one at a time from a ByteSource: memory is one record plus one
// chunk, however long the input. Same rules and the same messages as read_csv(): each syntax or
// UTF-8 fault is handed to `on_error` ("FILE:LINE: message") and its record skipped. Errors come
// out in nearly file order (a UTF-8 fault is found when its chunk is read, ahead of the parse).
class CsvStream {
public:
  CsvStream(ByteSource source, std::string_view file_name,
            std::function<void(std::string)> on_error);
  // The next record that could be read, or false at the end of the input.
  bool next(CsvRecord &record);

private:
  bool more(std::size_t k); // at least k unread bytes are in the buffer (false: input too short)
  void fill();
  void check_utf8();
  void skip_line();
  void error(int line, const std::string &message);

  ByteSource source_;
  std::string file_;
  std::function<void(std::string)> on_error_;
  std::string buf_;
  std::size_t pos_ = 0;     // next byte to parse
  std::size_t checked_ = 0; // next byte to check as UTF-8
  int line_ = 1;            // line of buf_[pos_]
  int utf8_line_ = 1;       // line of buf_[checked_]
  int utf8_reported_ = 0;   // the last line with a UTF-8 error (one message per line)
  bool eof_ = false;
  bool started_ = false; // the BOM check was done
};

// Keeps the `max_shown` errors that come first in file order (ties in the order added) and counts
// all of them, so a file with a million bad rows costs no more memory than one with fifty. Its
// message is exactly throw_if_errors()'s over the full list.
class ErrorList {
public:
  explicit ErrorList(std::string file_name, std::size_t max_shown = 50);
  void add(std::string message); // "FILE:LINE: ..."
  bool empty() const { return count_ == 0; }
  std::size_t size() const { return count_; }
  // "FILE: N errors; nothing was read" and the first errors; does nothing when empty.
  void throw_if_any() const;

private:
  std::string file_;
  std::size_t max_shown_;
  std::size_t count_ = 0;
  std::multimap<long, std::string> first_;
};

// Throws one InputError listing `errors` (at most `max_shown` lines, then "and N more"), headed
// "FILE: N errors; nothing was read". Does nothing when `errors` is empty.
void throw_if_errors(const std::vector<std::string> &errors, std::string_view file_name,
                     std::size_t max_shown = 50);

// For the readers built on this one: "FILE:LINE: " (values are quoted with quoted(), text.hpp).
namespace csv_detail {
std::string at_line(std::string_view file, int line);
} // namespace csv_detail

} // namespace titrate
