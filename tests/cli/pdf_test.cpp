// The PDF handout (issue 17 item 1) through the real binary: `export ID --format pdf` of an
// approved stored version and `plan --patient-file ... --format pdf`, checked with poppler-utils
// and qpdf (.ci/install-deps): the words of the text export in the PDF's text, qpdf --check,
// embedded fonts, byte-identical runs, the paper size, large print (>= 16 pt) and bad input.
// Pages are rendered to PNG in the build folder (tests/cli/pdf-out) for a person to look at.
#include "tests/cli/expect.hpp"
#include "tests/cli/run.hpp"
#include "tests/cli/store_fixture.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <array>
#include <cstdio>
#include <filesystem>
#include <memory>
#include <regex>
#include <sstream>
#include <tuple>

using namespace titrate::test;
using Catch::Contains;

namespace {

// Runs a shell command (the poppler and qpdf tools); its stdout, and its exit status in `rc`.
std::string pdf_tool(const std::string &command, int &rc) {
  std::string out;
  FILE *p = ::popen((command + " 2>&1").c_str(), "r");
  REQUIRE(p != nullptr);
  std::array<char, 4096> buf{};
  std::size_t n = 0;
  while ((n = std::fread(buf.data(), 1, buf.size(), p)) > 0)
    out.append(buf.data(), n);
  const int status = ::pclose(p);
  rc = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return out;
}
std::string pdf_tool(const std::string &command) {
  int rc = 0;
  std::string out = pdf_tool(command, rc);
  INFO(command << "\n" << out);
  REQUIRE(rc == 0);
  return out;
}

// Runs of white space as one space: a table cell wraps a phrase over lines.
std::string pdf_squash(const std::string &s) {
  std::string out;
  for (char c : s) {
    const bool space = c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r';
    if (space && (out.empty() || out.back() == ' '))
      continue;
    out += space ? ' ' : c;
  }
  return out;
}

// The handout's words column by column: each page's words from pdftotext -bbox, put in the
// step table's `n` equal columns (one per time of day the plan uses) by their left edge and read
// top to bottom, so that a phrase wrapped inside a cell reads whole. The table spans the page
// between 42 pt margins (planner/export/pdf.cpp).
std::vector<std::string> pdf_columns(const std::string &bbox_xml, std::size_t n) {
  std::vector<std::string> out(n);
  const std::regex page_re(R"re(<page width="([0-9.]+)")re");
  const std::regex word_re(
      R"re(<word xMin="([0-9.]+)" yMin="([0-9.]+)" xMax="[0-9.]+" yMax="[0-9.]+">([^<]*)</word>)re");
  std::istringstream in(bbox_xml);
  std::string line;
  double width = 595.276;
  std::vector<std::tuple<std::size_t, double, double, std::string>> words; // column, y, x, text
  const auto flush = [&] {
    std::stable_sort(words.begin(), words.end());
    for (const auto &[c, y, x, t] : words)
      out[c] += t + " ";
    words.clear();
  };
  std::smatch m;
  while (std::getline(in, line)) {
    if (std::regex_search(line, m, page_re)) {
      flush();
      width = std::stod(m[1]);
    } else if (std::regex_search(line, m, word_re)) {
      const double col = (width - 84) / static_cast<double>(n);
      const double x = std::stod(m[1]);
      const auto c =
          static_cast<std::size_t>(std::clamp((x - 42) / col, 0.0, static_cast<double>(n - 1)));
      words.emplace_back(c, std::stod(m[2]), x, m[3].str());
    }
  }
  flush();
  return out;
}

// The lines of the text export's WHAT TO TAKE and ASSESSMENT DATES sections, which the handout
// must print: each run's dates, each dose ("In the morning: ..."), each total, each date.
std::vector<std::string> pdf_expected_phrases(const std::string &text) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  bool inside = false;
  while (std::getline(in, line)) {
    if (line == "WHAT TO TAKE" || line.rfind("ASSESSMENT DATES", 0) == 0) {
      inside = true;
      continue;
    }
    if (line.empty() || line.rfind("Decision support", 0) == 0)
      continue;
    if (!line.empty() && line[0] != ' ' && line.rfind("From ", 0) != 0 &&
        line.rfind("On ", 0) != 0 && line.rfind("from ", 0) != 0) {
      inside = false;
    }
    if (!inside)
      continue;
    out.push_back(line.substr(line.find_first_not_of(' ')));
  }
  return out;
}

std::string pdf_out_dir() {
  const auto dir = std::filesystem::path(TITRATE_BINARY).parent_path() / "tests/cli/pdf-out";
  std::filesystem::create_directories(dir);
  return dir.string();
}

std::vector<std::string> pdf_clin(const TempDir &d, const char *today, std::vector<std::string> a) {
  return as(d, "dr.ames", "clinician", today, std::move(a));
}

// G1-like patient on gabapentin (three times daily, rising every 7 days), approved as version 1.
void pdf_gabapentin_course(const TempDir &d) {
  run_ok(d, pdf_clin(d, "2026-11-25",
                     {"patient", "add", "H1", "--birth-date", "1960-03-01", "--sex", "female",
                      "--weight-kg", "70", "--creatinine-mg-dl", "0.9", "--baseline-pain", "7"}));
  run_ok(d, pdf_clin(d, "2026-11-25",
                     {"plan", "H1", "--start", "2026-12-01", "--prefer", "gabapentin", "--reason",
                      "chosen with the patient", "--submit"}));
  run_ok(d, as(d, "ph.bell", "pharmacist", "2026-11-26",
               {"review", "approve", "H1", "--version", "1"}));
}

std::string pdf_patient_file(const TempDir &d) {
  return d.write("h2.toml", "id = \"H2\"\nbirth_date = \"1960-03-01\"\nsex = \"female\"\n"
                            "weight_kg = 70\nserum_creatinine_mg_dl = 0.9\n");
}

} // namespace

TEST_CASE("pdf handout: export of an approved version prints every dose line and date of the text "
          "export") {
  TempDir d;
  pdf_gabapentin_course(d);
  const auto text = run_ok(d, pdf_clin(d, "2026-12-01", {"export", "H1", "--format", "text"}));
  run_ok(d, pdf_clin(d, "2026-12-01",
                     {"export", "H1", "--format", "pdf", "-o", "h1.pdf", "--clinic-name",
                      "Riverside Pain Clinic", "--clinic-phone", "020 7946 0000"}));
  const std::string pdf = d.file("h1.pdf");
  const std::string words = pdf_squash(pdf_tool("pdftotext " + pdf + " -"));
  INFO(words);
  const auto phrases = pdf_expected_phrases(text.out);
  // Gabapentin three times daily: morning, midday and evening, no bedtime column.
  CHECK_THAT(text.out, !Contains("At bedtime"));
  const auto columns = pdf_columns(pdf_tool("pdftotext -bbox " + pdf + " -"), 3);
  // By hand from clinical.md A3 (gabapentin 300 mg day 1, twice daily day 2, three times daily
  // from day 3, +300 mg a day every 7 days to 1,800 mg): at least 6 runs, each with a date line,
  // a dose and a total, and the decision date.
  REQUIRE(phrases.size() >= 19);
  int doses = 0;
  for (const auto &phrase : phrases) {
    bool dose = false;
    const std::array<const char *, 3> times{"In the morning: ", "At midday: ", "In the evening: "};
    for (std::size_t t = 0; t < 3; ++t) {
      if (phrase.rfind(times[t], 0) != 0)
        continue;
      // A dose line: its words in its time's column, under the column's heading.
      dose = true;
      ++doses;
      INFO("column " << t << ": " << columns[t]);
      CHECK_THAT(columns[t], Contains(phrase.substr(std::string(times[t]).size())));
      CHECK_THAT(columns[t],
                 Contains(std::string(times[t]).substr(0, std::string(times[t]).size() - 2)));
    }
    if (!dose)
      CHECK_THAT(words, Contains(phrase));
  }
  CHECK(doses >= 13); // 1 + 2 + 3 x 4 runs at least
  CHECK_THAT(words, Contains("On 2026-12-01 (1 day)"));
  CHECK_THAT(words, Contains("gabapentin 300 mg, take 1 capsule of 300 mg"));
  CHECK_THAT(words, Contains("Total each day: gabapentin 900 mg, three times daily"));
  CHECK_THAT(words, Contains("Approved by pharmacist ph.bell on "));
  CHECK_THAT(words, Contains("Clinic: Riverside Pain Clinic Telephone: 020 7946 0000"));
  // The monograph's words with their source (formulary/gabapentin.toml).
  CHECK_THAT(words, Contains("Do not stop taking gabapentin suddenly"));
  CHECK_THAT(words, Contains("dizziness, somnolence, peripheral oedema or ataxia. [source: GAB-US "
                             "(label AE terms)]"));
  // A diary page per month of the plan: December 2026 and January 2027 (the decision date).
  CHECK_THAT(words, Contains("Diary for December 2026") && Contains("Diary for January 2027"));
  CHECK_THAT(words, Contains("Pain (0 to 10)"));

  SECTION("qpdf finds no error, every font is embedded and the pages render") {
    pdf_tool("qpdf --check " + pdf);
    const std::string fonts = pdf_tool("pdffonts " + pdf);
    INFO(fonts);
    std::istringstream rows(fonts);
    std::string row;
    int n = 0;
    while (std::getline(rows, row)) {
      if (row.rfind("name", 0) == 0 || row.rfind("----", 0) == 0 || row.empty())
        continue;
      ++n;
      CHECK(std::regex_search(row, std::regex(R"(\s+yes\s+yes\s+yes\s+)")));
    }
    CHECK(n >= 1);
    const std::string png = pdf_out_dir() + "/export-h1";
    pdf_tool("pdftoppm -r 60 -png " + pdf + " " + png);
    CHECK(std::filesystem::exists(png + "-1.png"));
  }
  SECTION("two exports of one version are byte-identical") {
    run_ok(d, pdf_clin(d, "2026-12-03",
                       {"export", "H1", "--format", "pdf", "-o", "again.pdf", "--clinic-name",
                        "Riverside Pain Clinic", "--clinic-phone", "020 7946 0000"}));
    CHECK(file_bytes(pdf) == file_bytes(d.file("again.pdf")));
  }
  SECTION("no clinic given: a line to write on") {
    run_ok(d, pdf_clin(d, "2026-12-01", {"export", "H1", "--format", "pdf", "-o", "blank.pdf"}));
    CHECK_THAT(pdf_squash(pdf_tool("pdftotext " + d.file("blank.pdf") + " -")),
               Contains("Clinic: ______________________________ Telephone: ______"));
  }
}

TEST_CASE("pdf handout: plan --patient-file --format pdf, A4 by default, --paper letter and "
          "--large-print") {
  TempDir d;
  const std::string file = pdf_patient_file(d);
  const std::vector<std::string> base = {"--today",        "2026-11-25", "plan",
                                         "--patient-file", file,         "--start",
                                         "2026-12-01",     "--format",   "pdf"};
  auto with = [&](std::vector<std::string> extra) {
    auto a = base;
    a.insert(a.end(), extra.begin(), extra.end());
    return a;
  };
  run_ok(d, with({"-o", "a4.pdf"}));
  run_ok(d, with({"-o", "letter.pdf", "--paper", "letter"}));
  run_ok(d, with({"-o", "large.pdf", "--large-print"}));
  // A4 is 210 x 297 mm = 595.28 x 841.89 pt; US letter 8.5 x 11 in = 612 x 792 pt.
  CHECK_THAT(pdf_tool("pdfinfo " + d.file("a4.pdf")), Contains("595.276 x 841.89 pts (A4)"));
  CHECK_THAT(pdf_tool("pdfinfo " + d.file("letter.pdf")), Contains("612 x 792 pts (letter)"));
  // The creation date is the plan's generation time (a preview: its first day at 00:00 UTC),
  // not the clock.
  CHECK_THAT(pdf_tool("TZ=UTC pdfinfo " + d.file("a4.pdf")),
             Contains("CreationDate:") && Contains("Dec  1 00:00:00 2026"));
  pdf_tool("pdftoppm -r 60 -png " + d.file("large.pdf") + " " + pdf_out_dir() + "/large-print");

  // Word heights from pdftotext -bbox: the font's ascent plus descent, about 1.16 times the
  // size for DejaVu Sans. The body word "Total" is >= 16 pt high only in large print (16 pt
  // body, height about 18.6) and not in the default (11 pt, about 12.8).
  const auto total_height = [&](const std::string &pdf) {
    const std::string xml = pdf_tool("pdftotext -bbox " + d.file(pdf) + " -");
    std::smatch m;
    REQUIRE(std::regex_search(
        xml, m, std::regex(R"re(yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">Total<)re")));
    return std::stod(m[2]) - std::stod(m[1]);
  };
  CHECK(total_height("large.pdf") >= 16.0);
  // In large print no word is smaller than the body (headings, diary labels and the footer too):
  // the lowest word height is at least 16 (DejaVu Sans at 16 pt: about 18.6).
  const auto lowest_height = [&](const std::string &pdf) {
    const std::string xml = pdf_tool("pdftotext -bbox " + d.file(pdf) + " -");
    const std::regex word(R"re(yMin="([0-9.]+)" xMax="[0-9.]+" yMax="([0-9.]+)">)re");
    double lowest = 1000;
    for (auto it = std::sregex_iterator(xml.begin(), xml.end(), word); it != std::sregex_iterator();
         ++it)
      lowest = std::min(lowest, std::stod((*it)[2]) - std::stod((*it)[1]));
    return lowest;
  };
  CHECK(lowest_height("large.pdf") >= 16.0);
  CHECK(lowest_height("a4.pdf") < 12.0); // the default's footer is 8.8 pt
  CHECK(total_height("a4.pdf") < 16.0);
  CHECK(total_height("a4.pdf") >= 11.0);
}

TEST_CASE("pdf handout: bad input names the value, exits 2 or 3 and writes no file") {
  TempDir d;
  const std::string file = pdf_patient_file(d);
  SECTION("--paper A5") {
    auto r = run_titrate(d, {"--today", "2026-11-25", "plan", "--patient-file", file, "--start",
                             "2026-12-01", "--format", "pdf", "--paper", "A5", "-o", "x.pdf"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("--paper: \"A5\" is not a paper size; expected a4 or letter"));
  }
  SECTION("--large-print without --format pdf") {
    auto r = run_titrate(d, {"--today", "2026-11-25", "plan", "--patient-file", file, "--start",
                             "2026-12-01", "--format", "text", "--large-print", "-o", "x.pdf"});
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("go with --format pdf, not --format text"));
  }
  SECTION("an unknown patient") {
    pdf_gabapentin_course(d);
    auto r = run_titrate(
        d, pdf_clin(d, "2026-12-01", {"export", "NOPE", "--format", "pdf", "-o", "x.pdf"}));
    CHECK(r.exit_code == 3);
    CHECK_THAT(r.err, Contains("NOPE"));
  }
  SECTION("--paper on a stored export") {
    pdf_gabapentin_course(d);
    auto r = run_titrate(
        d, pdf_clin(d, "2026-12-01",
                    {"export", "H1", "--format", "pdf", "--paper", "legal", "-o", "x.pdf"}));
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Contains("\"legal\"") && Contains("expected a4 or letter"));
  }
  CHECK_FALSE(std::filesystem::exists(d.file("x.pdf")));
  for (const auto &e : std::filesystem::directory_iterator(d.path()))
    CHECK(e.path().extension() != ".tmp");
}

TEST_CASE("invite handout: patient invite --handout prints the plan with the link and a QR code "
          "that decodes to it") {
  TempDir d;
  pdf_gabapentin_course(d);
  const auto r = run_ok(d, pdf_clin(d, "2026-11-27",
                                    {"patient", "invite", "H1", "--handout", "invite.pdf",
                                     "--base-url", "https://clinic.example.org"}));
  // The link printed once, 128 bits as 32 hex digits after /p/.
  std::smatch m;
  REQUIRE(
      std::regex_search(r.out, m, std::regex(R"(https://clinic\.example\.org/p/[0-9a-f]{32})")));
  const std::string link = m.str();
  const std::string pdf = d.file("invite.pdf");
  pdf_tool("qpdf --check " + pdf);
  const std::string words = pdf_squash(pdf_tool("pdftotext " + pdf + " -"));
  CHECK_THAT(words, Contains("Your personal link (keep it private): " + link));
  CHECK_THAT(words, Contains("Total each day: gabapentin 900 mg, three times daily"));
  // Beside the QR code the clinic and its telephone are a line each, so neither write-in line
  // wraps under its label (one line of both wrapped "Telephone:" away from its blank).
  const std::string text = pdf_tool("pdftotext " + pdf + " -");
  CHECK_THAT(text, Contains("\nClinic: ______________________________\n"));
  CHECK_THAT(text, Contains("\nTelephone: ______________________________\n"));
  // The QR code read back from the rendered first page by zbarimg (zbar-tools, .ci/install-deps).
  const std::string png = pdf_out_dir() + "/invite";
  pdf_tool("pdftoppm -r 100 -png -f 1 -l 1 " + pdf + " " + png);
  int rc = 0;
  const std::string decoded = pdf_tool("zbarimg -q --raw " + png + "-1.png", rc);
  INFO("zbarimg (install zbar-tools, .ci/install-deps): " << decoded);
  CHECK(rc == 0);
  CHECK_THAT(decoded, Contains(link + "\n"));
  // The link works: it was stored (revoking it counts one).
  CHECK_THAT(run_ok(d, pdf_clin(d, "2026-11-27", {"patient", "invite", "H1", "--revoke"})).out,
             Contains("revoked 1 link of H1"));
}

TEST_CASE(
    "invite handout: no plan, or PDF options without --handout, store no link and write no file") {
  TempDir d;
  run_ok(d, pdf_clin(d, "2026-11-25",
                     {"patient", "add", "H3", "--birth-date", "1960-03-01", "--sex", "female",
                      "--weight-kg", "70", "--creatinine-mg-dl", "0.9"}));
  auto r =
      run_titrate(d, pdf_clin(d, "2026-11-25", {"patient", "invite", "H3", "--handout", "h3.pdf"}));
  CHECK(r.exit_code == 3);
  CHECK_THAT(r.err, Contains("patient H3: no plan to export"));
  CHECK(r.out.empty()); // no link shown
  r = run_titrate(d, pdf_clin(d, "2026-11-25", {"patient", "invite", "H3", "--paper", "letter"}));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("go with --handout FILE.pdf"));
  r = run_titrate(
      d, pdf_clin(d, "2026-11-25",
                  {"patient", "invite", "H3", "--handout", "h3.pdf", "--paper", "tabloid"}));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Contains("\"tabloid\" is not a paper size; expected a4 or letter"));
  CHECK_FALSE(std::filesystem::exists(d.file("h3.pdf")));
  CHECK_THAT(run_ok(d, pdf_clin(d, "2026-11-25", {"patient", "invite", "H3", "--revoke"})).out,
             Contains("revoked 0 links of H3"));
}

TEST_CASE("pdf handout: the README's command writes plan.pdf from the demo patient") {
  TempDir d;
  // README.md "Using it", as written there (with the source tree's example patient).
  run_ok(d, {"--today", "2026-11-30", "plan", "--patient-file",
             source_dir() + "/schedules/examples/demo.toml", "--start", "2026-12-01", "--format",
             "pdf", "-o", "plan.pdf"});
  CHECK(file_bytes(d.file("plan.pdf")).rfind("%PDF-", 0) == 0);
  pdf_tool("qpdf --check " + d.file("plan.pdf"));
  CHECK_THAT(pdf_squash(pdf_tool("pdftotext " + d.file("plan.pdf") + " -")),
             Contains("Your medicine schedule") && Contains("Diary for December 2026"));
}
