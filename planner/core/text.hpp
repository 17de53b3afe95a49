#pragma once
// Free text from people (notes, adverse-effect descriptions): valid UTF-8 (RFC 3629) with no
// control characters, so what is stored is exactly what can be shown and exported.
#include <cstddef>
#include <string>
#include <string_view>

namespace titrate {

// Length of the valid UTF-8 sequence starting at s[i], or 0 if it is not valid (overlong forms,
// surrogates and code points above U+10FFFF are invalid, per RFC 3629).
std::size_t utf8_sequence(std::string_view s, std::size_t i);
bool is_valid_utf8(std::string_view s);
// `s` as it can be shown inside a message: at most `max_bytes` bytes, cut between characters,
// every byte that is not valid UTF-8 and every control character (tab too) shown as '?'. The
// result is always valid UTF-8, so a message quoting a bad value can be sent as JSON.
std::string printable(std::string_view s, std::size_t max_bytes);
// A value quoted for an error message: "VALUE" through printable(), at most 64 bytes, then "..."
// when it was longer.
std::string quoted(std::string_view s);
// The one length limit of what a patient writes (a score's note, a side effect's description), in
// characters (Unicode code points): the web form's maxlength carries the same number, so a
// 300-character Cyrillic report is as welcome as a 300-character English one.
inline constexpr std::size_t max_free_text_chars = 500;
// The number of Unicode code points of valid UTF-8 text.
std::size_t code_points(std::string_view s);
// Throws InputError naming `field` for invalid UTF-8, a control character (tab allowed) or more
// than `max_chars` characters (code points).
void require_free_text(std::string_view text, std::string_view field,
                       std::size_t max_chars = max_free_text_chars);

// Markup escaping, ONE function for every value put into HTML or XML (the web pages, the SVG
// chart, the outcome report). Both dialects write & < > " as &amp; &lt; &gt; &quot;; they differ
// only where they always have: HTML writes ' as &#39; and keeps control characters; XML writes '
// as &apos; and writes each control character but tab and newline (not allowed in XML 1.0) as a
// space.
enum class Markup { html, xml };
std::string escape_markup(std::string_view text, Markup dialect);

// A number as the pages, texts and decisions write it (ISMP): at most `decimals` places, no
// trailing zeros, a leading zero, never "-0": 25 -> "25", 27.26 -> "27.3" (1 place), 0.5 ->
// "0.5". Rounded as printf rounds the binary value: an exact tie goes to even (27.25 -> "27.2").
std::string decimal_text(double v, int decimals);
// A measured value as a message quotes it: up to `significant` digits, no trailing zeros
// (iostream's general format; 6 is its default): 30 -> "30", 59.5 -> "59.5", 0.25 -> "0.25".
std::string number_text(double v, int significant = 6);

} // namespace titrate
