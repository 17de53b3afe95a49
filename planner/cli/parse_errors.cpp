#include "planner/cli/parse_errors.hpp"

#include "planner/core/text.hpp"

#include <algorithm>
#include <regex>

namespace titrate::cli {

namespace {

std::size_t edit_distance(const std::string &a, const std::string &b) {
  std::vector<std::size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j)
    prev[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, sub});
    }
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::vector<std::string> subcommand_names(const CLI::App &app) {
  std::vector<std::string> out;
  for (const auto *s : app.get_subcommands([](const CLI::App *) { return true; }))
    out.push_back(s->get_name());
  return out;
}

// The long names ("--score") of the options of `app` and of its parents (global options).
std::vector<std::string> option_names(const CLI::App *app) {
  std::vector<std::string> out;
  for (; app != nullptr; app = app->get_parent()) {
    for (const auto *o : app->get_options()) {
      for (const auto &n : o->get_lnames())
        out.push_back("--" + n);
    }
  }
  return out;
}

const CLI::Option *find_option(const CLI::App *app, const std::string &name) {
  for (; app != nullptr; app = app->get_parent()) {
    for (const auto *o : app->get_options()) {
      if (o->check_name(name))
        return o;
    }
  }
  return nullptr;
}

bool takes_value(const CLI::App *app, const std::string &token) {
  const auto eq = token.find('=');
  if (eq != std::string::npos)
    return false;
  const CLI::Option *o = find_option(app, token);
  return o != nullptr && o->get_type_size() != 0;
}

// "review approve" (empty for the root).
std::string command_words(const CLI::App *app) {
  std::string s;
  for (; app != nullptr && app->get_parent() != nullptr; app = app->get_parent())
    s = app->get_name() + (s.empty() ? "" : " " + s);
  return s;
}

std::string lower_first(std::string s) {
  if (!s.empty() && s[0] >= 'A' && s[0] <= 'Z')
    s[0] = static_cast<char>(s[0] - 'A' + 'a');
  return s;
}

std::string value_words(const CLI::Option *o) {
  const std::string t = o->get_type_name();
  if (t == "INT" || t == "UINT")
    return "a whole number";
  if (t == "FLOAT" || t == "NUMBER")
    return "a number";
  return "a value";
}

std::string describe(const CLI::Option *o) {
  const std::string d = o->get_description();
  return d.empty() ? "" : " (" + lower_first(d) + ")";
}

} // namespace

std::string closest(const std::string &typed, const std::vector<std::string> &names) {
  std::string best;
  std::size_t best_d = typed.size() / 3 + 1; // at most a third of the word, and at least 1
  if (best_d > 3)
    best_d = 3;
  for (const auto &n : names) {
    const std::size_t d = edit_distance(typed, n);
    const bool prefix =
        n.size() > typed.size() && typed.size() >= 3 && n.compare(0, typed.size(), typed) == 0;
    if ((d <= best_d && (best.empty() || d < edit_distance(typed, best))) ||
        (best.empty() && prefix)) {
      best = n;
      best_d = d;
    }
  }
  return best;
}

std::string explain_parse_error(const CLI::ParseError &e, CLI::App &root,
                                const std::vector<std::string> &args) {
  // Walk the arguments as CLI11 did: the deepest command named, and the first token that is
  // neither a known command, option nor an option's value.
  const CLI::App *cur = &root;
  std::string unknown_option, unknown_word;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string &t = args[i];
    if (t == "--")
      break;
    if (t.size() > 1 && t[0] == '-') {
      const std::string name = t.substr(0, t.find('='));
      if (name.rfind("--", 0) == 0 && find_option(cur, name) == nullptr) {
        if (unknown_option.empty())
          unknown_option = name;
        continue;
      }
      if (takes_value(cur, name))
        ++i;
      continue;
    }
    const CLI::App *sub = nullptr;
    for (const auto *s : cur->get_subcommands([](const CLI::App *) { return true; }))
      if (s->check_name(t))
        sub = s;
    if (sub != nullptr) {
      cur = sub;
      continue;
    }
    const bool wants_command =
        !cur->get_subcommands([](const CLI::App *) { return true; }).empty() &&
        cur->get_require_subcommand_min() > 0;
    if (unknown_word.empty() && (cur == &root || wants_command))
      unknown_word = t;
  }
  const std::string words = command_words(cur);
  const std::string cmd = words.empty() ? "titrate" : words;
  const std::string help = "; see titrate " + (words.empty() ? "" : words + " ") + "--help";
  const auto not_a_command = [&] {
    const std::string near = closest(unknown_word, subcommand_names(*cur));
    return (words.empty() ? "" : words + " ") + printable(unknown_word, 40) + ": not a command" +
           (near.empty() ? "" : "; did you mean " + near + "?") + help;
  };

  if (dynamic_cast<const CLI::ExtrasError *>(&e) != nullptr) {
    if (!unknown_word.empty())
      return not_a_command();
    if (!unknown_option.empty()) {
      const std::string near = closest(unknown_option, option_names(cur));
      return cmd + ": " + printable(unknown_option, 40) + ": not an option of this command" +
             (near.empty() ? "" : "; did you mean " + near + "?") + help;
    }
    // Values with no option before them: show them as CLI11 listed them.
    std::string what = e.what();
    const auto colon = what.find(": ");
    return cmd + ": unexpected argument " +
           (colon == std::string::npos ? what : what.substr(colon + 2)) +
           "; expected only the arguments and options of this command" + help;
  }
  static const std::regex convert(R"(Could not convert: (\S+) = (.*))");
  std::smatch m;
  const std::string text = e.what();
  if (std::regex_search(text, m, convert)) {
    const CLI::Option *o = find_option(cur, m[1].str());
    const std::string expected = o != nullptr ? value_words(o) + describe(o) : "another value";
    return m[1].str() + ": \"" + printable(m[2].str(), 40) + "\" is not " +
           (o != nullptr ? value_words(o) : std::string("valid")) + "; expected " + expected;
  }
  if (dynamic_cast<const CLI::RequiredError *>(&e) != nullptr) {
    if (text == "A subcommand is required" && !unknown_word.empty())
      return not_a_command();
    if (text == "A subcommand is required") {
      std::string list;
      const auto names = subcommand_names(*cur);
      for (std::size_t i = 0; i < names.size(); ++i)
        list += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + names[i];
      return cmd + ": expected a command: " + list + help;
    }
    static const std::regex required(R"((\S+) is required)");
    if (std::regex_search(text, m, required)) {
      const CLI::Option *o = find_option(cur, m[1].str());
      if (o == nullptr) {
        for (const auto *opt : cur->get_options())
          if (opt->get_name() == m[1].str())
            o = opt;
      }
      return cmd + ": " + m[1].str() + ": missing; expected " +
             (o != nullptr && !o->get_description().empty() ? lower_first(o->get_description())
                                                            : std::string("a value")) +
             help;
    }
  }
  if (dynamic_cast<const CLI::ArgumentMismatch *>(&e) != nullptr) {
    static const std::regex missing(R"((\S+): \d+ required \S+ missing)");
    if (std::regex_search(text, m, missing)) {
      const CLI::Option *o = find_option(cur, m[1].str());
      return m[1].str() + ": missing its value; expected " +
             (o != nullptr ? value_words(o) + describe(o) : std::string("a value")) + help;
    }
  }
  return cmd + ": " + text + help;
}

} // namespace titrate::cli
