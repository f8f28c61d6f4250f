#include "core/Cli.hh"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "core/Spelling.hh"

namespace pf::cli {

namespace {

std::string composeUsage(int id, const std::string &program, const std::string &subject,
                         const std::string &message) {
  std::string text = fmt::format("error PF-{:04d}: {}: ", id, program);
  if (!subject.empty()) text += subject + ": ";
  return text + message;
}

// " (see PROGRAM --help)", or with a hint: " (did you mean 'x'? see PROGRAM --help)",
// " (usage: ...; see PROGRAM --help)". Every usage message ends with one.
std::string seeHelp(const std::string &program, const std::string &hint = "") {
  if (hint.empty()) return fmt::format(" (see {} --help)", program);
  return fmt::format(" ({}{}see {} --help)", hint, hint.back() == '?' ? " " : "; ", program);
}

std::string subjectOf(const Option *option) {
  if (!option) return "";
  if (option->positional) return "argument " + option->name;
  return "option '" + option->name + "'";
}

// "1000000000" for whole numbers, "0.5" otherwise.
std::string numberText(double value) {
  if (value == std::floor(value) && std::fabs(value) < 9e15)
    return fmt::format("{}", static_cast<int64_t>(value));
  return fmt::format("{:g}", value);
}

bool isDecimalText(const std::string &text) {
  return !text.empty() && text.find_first_not_of("0123456789+-.eE") == std::string::npos;
}

std::optional<double> parseNumber(const std::string &text) {
  if (!isDecimalText(text)) return std::nullopt;
  char *end = nullptr;
  const double value = std::strtod(text.c_str(), &end);
  if (end != text.c_str() + text.size() || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<int64_t> parseInteger(const std::string &text) {
  const char *first = text.data();
  const char *last = text.data() + text.size();
  if (first != last && *first == '+') ++first;
  if (first == last) return std::nullopt;
  int64_t value = 0;
  const auto [ptr, ec] = std::from_chars(first, last, value);
  if (ec != std::errc() || ptr != last) return std::nullopt;
  return value;
}

// The words of a List value: separated by spaces, tabs or commas.
std::vector<std::string> listItems(const std::string &text) {
  std::vector<std::string> items;
  std::string item;
  for (char c : text) {
    if (c == ' ' || c == ',' || c == '\t') {
      if (!item.empty()) items.push_back(item);
      item.clear();
    } else {
      item += c;
    }
  }
  if (!item.empty()) items.push_back(item);
  return items;
}

bool inRange(const Option &option, double value) {
  if (option.min && (option.min_open ? !(value > *option.min) : !(value >= *option.min)))
    return false;
  if (option.max && (option.max_open ? !(value < *option.max) : !(value <= *option.max)))
    return false;
  return true;
}

// Spaces wrap() keeps (a default or a range stays on one line).
constexpr char kUnbreakableSpace = '\x1f';

std::string unbroken(std::string text) {
  std::replace(text.begin(), text.end(), ' ', kUnbreakableSpace);
  return text;
}

// Greedy word wrap of a text ("\n" forces a break) into lines of at most `width` characters.
std::vector<std::string> wrap(const std::string &text, size_t width) {
  std::vector<std::string> lines;
  size_t start = 0;
  while (start <= text.size()) {
    const size_t end = std::min(text.find('\n', start), text.size());
    const std::string paragraph = text.substr(start, end - start);
    std::string line;
    size_t at = 0;
    bool any = false;
    while (at < paragraph.size()) {
      const size_t space = paragraph.find(' ', at);
      const size_t stop = space == std::string::npos ? paragraph.size() : space;
      const std::string word = paragraph.substr(at, stop - at);
      at = stop + 1;
      if (word.empty()) continue;
      if (!line.empty() && line.size() + 1 + word.size() > width) {
        lines.push_back(line);
        line.clear();
      }
      line += (line.empty() ? "" : " ") + word;
      any = true;
    }
    if (any || paragraph.empty()) lines.push_back(line);
    start = end + 1;
  }
  for (std::string &line : lines) std::replace(line.begin(), line.end(), kUnbreakableSpace, ' ');
  return lines;
}

// Words joined into lines of at most width columns; later lines start with `indent`.
std::string joinWrapped(const std::string &first, const std::vector<std::string> &words,
                        size_t width, size_t indent) {
  std::string out = first;
  size_t column = first.size();
  for (const std::string &word : words) {
    if (width > 0 && column + 1 + word.size() > width && column > indent) {
      out += "\n" + std::string(indent, ' ');
      column = indent;
    } else {
      out += " ";
      ++column;
    }
    out += word;
    column += word.size();
  }
  return out;
}

std::string kindName(Kind kind) {
  switch (kind) {
    case Kind::Flag:
      return "flag";
    case Kind::String:
      return "string";
    case Kind::Path:
      return "path";
    case Kind::Integer:
      return "integer";
    case Kind::Number:
      return "number";
    case Kind::List:
      return "list";
    case Kind::Choice:
      return "choice";
  }
  return "?";
}

std::string joined(const std::vector<std::string> &words, const std::string &separator) {
  std::string out;
  for (const std::string &word : words) out += (out.empty() ? "" : separator) + word;
  return out;
}

Option declare(const std::string &name, const std::string &placeholder, const std::string &help,
               Kind kind) {
  Option option;
  option.name = name;
  option.placeholder = placeholder;
  option.help = help;
  option.kind = kind;
  return option;
}

}  // namespace

UsageError::UsageError(int id, const std::string &program, const std::string &field,
                       const std::string &subject, const std::string &message)
    : Error(id, {}, field, message),
      program_(program),
      text_(composeUsage(id, program, subject, message)) {}

// ---- Option ----

Option &Option::defaultValue(const std::string &value) {
  default_value = value;
  return *this;
}

Option &Option::defaultValue(int64_t value) { return defaultValue(fmt::format("{}", value)); }

Option &Option::defaultShown(const std::string &text) {
  default_text = text;
  return *this;
}

Option &Option::isRequired() {
  required = true;
  return *this;
}

Option &Option::requiredUnless(const std::string &other) {
  required_unless = other;
  return *this;
}

Option &Option::atLeast(double value) {
  min = value;
  min_open = false;
  return *this;
}

Option &Option::above(double value) {
  min = value;
  min_open = true;
  return *this;
}

Option &Option::atMost(double value) {
  max = value;
  max_open = false;
  return *this;
}

Option &Option::range(double lo, double hi) {
  atLeast(lo);
  return atMost(hi);
}

Option &Option::count(size_t lo, size_t hi) {
  min_count = lo;
  max_count = hi;
  return *this;
}

Option &Option::repeatable() {
  repeat = Repeat::Collect;
  return *this;
}

std::string Option::bounds() const {
  if (min && max && !min_open && !max_open)
    return fmt::format("{}..{}", numberText(*min), numberText(*max));
  std::string text;
  if (min) text = fmt::format("{} {}", min_open ? ">" : ">=", numberText(*min));
  if (max)
    text += fmt::format("{}{} {}", text.empty() ? "" : " and ",
                        max_open ? "<" : "<=", numberText(*max));
  return text;
}

std::string Option::rangeText() const {
  const std::string text = bounds();
  return text.empty() ? "" : "must be " + text;
}

// ---- Spec ----

Spec::Spec(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {}

Spec &Spec::description(std::string text) {
  description_ = std::move(text);
  return *this;
}

Spec &Spec::epilogue(std::string text) {
  epilogue_ = std::move(text);
  return *this;
}

Option &Spec::add(Option option) {
  if (find(option.name))
    throw std::logic_error(fmt::format("{}: {} declared twice", program_, option.name));
  if (!option.positional && option.name.rfind("--", 0) != 0)
    throw std::logic_error(fmt::format("{}: option {} must start with --", program_, option.name));
  options_.push_back(std::move(option));
  return options_.back();
}

Option &Spec::flag(const std::string &name, const std::string &help) {
  return add(declare(name, "", help, Kind::Flag));
}

Option &Spec::string(const std::string &name, const std::string &placeholder,
                     const std::string &help) {
  return add(declare(name, placeholder, help, Kind::String));
}

Option &Spec::path(const std::string &name, const std::string &placeholder,
                   const std::string &help) {
  return add(declare(name, placeholder, help, Kind::Path));
}

Option &Spec::integer(const std::string &name, const std::string &placeholder,
                      const std::string &help) {
  return add(declare(name, placeholder, help, Kind::Integer));
}

Option &Spec::number(const std::string &name, const std::string &placeholder,
                     const std::string &help) {
  return add(declare(name, placeholder, help, Kind::Number));
}

Option &Spec::list(const std::string &name, const std::string &placeholder,
                   const std::string &help) {
  return add(declare(name, placeholder, help, Kind::List));
}

Option &Spec::choice(const std::string &name, const std::string &placeholder,
                     std::vector<std::string> choices, const std::string &help) {
  Option option =
      declare(name, placeholder.empty() ? joined(choices, "|") : placeholder, help, Kind::Choice);
  option.choices = std::move(choices);
  return add(std::move(option));
}

Option &Spec::positional(const std::string &name, const std::string &help, Kind kind) {
  if (kind == Kind::Flag) throw std::logic_error("a positional argument cannot be a flag");
  Option option = declare(name, name, help, kind);
  option.positional = true;
  option.required = true;
  return add(std::move(option));
}

Option &Spec::word(const std::string &word, const std::string &help) {
  Option &option = positional(word, help, Kind::Choice);
  option.choices = {word};
  return option;
}

Spec &Spec::conflict(const std::string &a, const std::string &b, const std::string &reason) {
  conflicts_.push_back({a, b, reason});
  return *this;
}

const Option *Spec::find(const std::string &name) const {
  for (const Option &option : options_)
    if (option.name == name) return &option;
  return nullptr;
}

void failAt(int id, const std::string &program, const std::string &field,
            const std::string &subject, const std::string &message) {
  throw UsageError(id, program, field, subject, message);
}

void Spec::fail(int id, const Option *option, const std::string &message) const {
  failAt(id, program_, option ? option->name : "", subjectOf(option), message);
}

std::string Spec::usage(size_t width) const {
  std::vector<std::string> words;
  for (const Option &option : options_) {
    if (!option.positional) continue;
    const std::string shown = option.kind == Kind::Choice && option.choices.size() > 1
                                  ? "{" + joined(option.choices, "|") + "}"
                                  : option.name;
    const bool optional = !option.required || option.default_value;
    words.push_back(optional ? "[" + shown + "]" : shown);
  }
  for (const Option &option : options_) {
    if (option.positional) continue;
    std::string shown = option.name;
    if (option.takesValue()) shown += " " + option.placeholder;
    const bool bare = option.required || !option.required_unless.empty();
    if (!bare) shown = "[" + shown + "]";
    if (option.repeat == Repeat::Collect) shown += "...";
    words.push_back(shown);
  }
  const std::string first = "usage: " + program_;
  return joinWrapped(first, words, width, first.size() + 1);
}

std::string Spec::help() const {
  std::string out = usage() + "\n";
  if (!description_.empty()) out += "\n" + description_ + (description_.back() == '\n' ? "" : "\n");
  constexpr size_t kColumn = 27;  // help text starts here
  auto entry = [&](const std::string &label, const Option *option, std::string text) {
    if (option) {
      std::vector<std::string> notes;
      if (option->required && !option->positional) notes.push_back("required");
      if (!option->required_unless.empty())
        notes.push_back(fmt::format("required unless {} is given", option->required_unless));
      if (option->kind == Kind::List)
        notes.push_back(
            unbroken(option->max_count == SIZE_MAX
                         ? fmt::format("at least {} values", option->min_count)
                         : fmt::format("{} to {} values", option->min_count, option->max_count)));
      if (!option->bounds().empty()) notes.push_back(unbroken(option->bounds()));
      if (!option->default_text.empty())
        notes.push_back(unbroken("default: " + option->default_text));
      else if (option->default_value)
        notes.push_back(unbroken("default: " + *option->default_value));
      if (option->repeat == Repeat::Collect) notes.push_back("may be given more than once");
      if (!notes.empty()) text += " (" + joined(notes, "; ") + ")";
    }
    std::string lines = "  " + label;
    const std::vector<std::string> wrapped = wrap(text, kWidth - kColumn);
    bool first = true;
    if (lines.size() + 2 > kColumn) {
      lines += "\n";
      first = false;
    }
    for (const std::string &line : wrapped) {
      if (first)
        lines += std::string(kColumn - lines.size(), ' ') + line + "\n";
      else
        lines += std::string(kColumn, ' ') + line + "\n";
      first = false;
    }
    if (wrapped.empty()) lines += "\n";
    return lines;
  };
  bool any_positional = false;
  for (const Option &option : options_) any_positional = any_positional || option.positional;
  if (any_positional) {
    out += "\narguments:\n";
    for (const Option &option : options_)
      if (option.positional) out += entry(option.name, &option, option.help);
  }
  out += "\noptions:\n";
  for (const Option &option : options_) {
    if (option.positional) continue;
    out += entry(option.name + (option.takesValue() ? " " + option.placeholder : ""), &option,
                 option.help);
  }
  out += entry("-h, --help", nullptr, "show this text and exit");
  if (!epilogue_.empty()) out += "\n" + epilogue_ + (epilogue_.back() == '\n' ? "" : "\n");
  return out;
}

namespace {

[[noreturn]] void failOutOfRange(const Spec &spec, const Option &option, const std::string &value) {
  spec.fail(1206, &option,
            fmt::format("'{}' is out of range: {}{}", value, option.rangeText(),
                        seeHelp(spec.program())));
}

// Checks one value of an option; throws the option's usage error.
void checkValue(const Spec &spec, const Option &option, const std::string &value) {
  const std::string see = seeHelp(spec.program());
  switch (option.kind) {
    case Kind::Flag:
      return;
    case Kind::String:
    case Kind::Path:
      if (value.empty()) spec.fail(1213, &option, fmt::format("empty value{}", see));
      return;
    case Kind::Integer: {
      const std::optional<int64_t> parsed = parseInteger(value);
      if (!parsed) spec.fail(1205, &option, fmt::format("'{}' is not an integer{}", value, see));
      if (!inRange(option, double(*parsed))) failOutOfRange(spec, option, value);
      return;
    }
    case Kind::Number: {
      const std::optional<double> parsed = parseNumber(value);
      if (!parsed) spec.fail(1203, &option, fmt::format("'{}' is not a number{}", value, see));
      if (!inRange(option, *parsed)) failOutOfRange(spec, option, value);
      return;
    }
    case Kind::List: {
      const std::vector<std::string> items = listItems(value);
      for (const std::string &item : items)
        if (!parseNumber(item))
          spec.fail(1214, &option,
                    fmt::format("'{}' is not a list of numbers: '{}' is not a number{}", value,
                                item, see));
      if (items.size() < option.min_count || items.size() > option.max_count)
        spec.fail(1215, &option,
                  fmt::format("'{}' has {} value{}; must have {}{}", value, items.size(),
                              items.size() == 1 ? "" : "s",
                              option.max_count == SIZE_MAX
                                  ? fmt::format("at least {}", option.min_count)
                                  : fmt::format("{} to {}", option.min_count, option.max_count),
                              see));
      for (const std::string &item : items)
        if (!inRange(option, *parseNumber(item))) failOutOfRange(spec, option, item);
      return;
    }
    case Kind::Choice:
      if (std::find(option.choices.begin(), option.choices.end(), value) == option.choices.end()) {
        const std::string near = closest(value, option.choices);
        spec.fail(
            1207, &option,
            fmt::format("'{}' is not one of {}{}", value, joined(option.choices, ", "),
                        seeHelp(spec.program(),
                                near.empty() ? "" : fmt::format("did you mean '{}'?", near))));
      }
      return;
  }
}

}  // namespace

Args Spec::parse(const std::vector<std::string> &words) const {
  // Declarations are checked on every parse: a default that its own option would refuse
  // is a programming error, found by any test that parses.
  for (const Option &option : options_) {
    if (!option.default_value) continue;
    try {
      checkValue(*this, option, *option.default_value);
    } catch (const UsageError &error) {
      throw std::logic_error(
          fmt::format("{}: the default of {} is refused: {}", program_, option.name, error.what()));
    }
  }
  Args args;
  args.spec_ = this;
  args.words_ = words;
  for (const std::string &word : words) {
    if (word == "--") break;
    if (word == "--help" || word == "-h") {
      args.help_ = true;
      return args;
    }
  }
  std::vector<std::string> option_names;
  for (const Option &option : options_)
    if (!option.positional) option_names.push_back(option.name);
  std::vector<const Option *> positionals;
  for (const Option &option : options_)
    if (option.positional) positionals.push_back(&option);
  size_t next_positional = 0;
  bool options_ended = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string &word = words[i];
    if (!options_ended && word == "--") {
      options_ended = true;
      continue;
    }
    const bool looks_like_option = !options_ended && word.size() > 1 && word[0] == '-';
    if (!looks_like_option) {
      if (next_positional >= positionals.size()) {
        failAt(
            1201, program_, word, "",
            fmt::format("unexpected argument '{}'{}", word,
                        seeHelp(program_, positionals.empty() ? program_ + " takes no arguments"
                                                              : "usage: " + usage(0).substr(7))));
      }
      const Option &positional = *positionals[next_positional++];
      checkValue(*this, positional, word);
      args.values_[positional.name].push_back(word);
      continue;
    }
    const size_t equals = word.find('=');
    const std::string name = word.substr(0, equals);
    const Option *option = find(name);
    if (!option || option->positional) {
      const std::string near = closest(name, option_names);
      failAt(1204, program_, name, "option '" + name + "'",
             fmt::format(
                 "unknown option{}",
                 seeHelp(program_, near.empty() ? "" : fmt::format("did you mean '{}'?", near))));
    }
    std::string value;
    if (!option->takesValue()) {
      if (equals != std::string::npos)
        fail(1212, option, fmt::format("takes no value (given '{}'){}", word, seeHelp(program_)));
    } else if (equals != std::string::npos) {
      value = word.substr(equals + 1);
    } else {
      const bool missing = i + 1 >= words.size() || (words[i + 1].rfind("--", 0) == 0);
      if (missing)
        fail(1202, option,
             fmt::format("expects a value: {} {}{}", option->name, option->placeholder,
                         seeHelp(program_)));
      value = words[++i];
    }
    std::vector<std::string> &given = args.values_[option->name];
    if (!given.empty() && option->repeat == Repeat::Once)
      fail(1210, option,
           fmt::format("given twice{}{}",
                       option->takesValue() ? fmt::format(" ('{}' and '{}'); it takes one value",
                                                          given.front(), value)
                                            : "",
                       seeHelp(program_)));
    checkValue(*this, *option, value);
    given.push_back(value);
  }
  for (const Option *positional : positionals)
    if (positional->required && !positional->default_value && !args.given(positional->name))
      fail(1208, positional,
           fmt::format("missing{}", seeHelp(program_, "usage: " + usage(0).substr(7))));
  for (const Option &option : options_) {
    if (option.positional || args.given(option.name)) continue;
    const bool unless =
        !option.required && !option.required_unless.empty() && !args.given(option.required_unless);
    if (option.required || unless)
      fail(1209, &option,
           fmt::format("required{}{}",
                       unless ? fmt::format(" unless {} is given", option.required_unless) : "",
                       seeHelp(program_, "usage: " + usage(0).substr(7))));
  }
  for (const Conflict &conflict : conflicts_)
    if (args.given(conflict.a) && args.given(conflict.b))
      fail(1211, find(conflict.b),
           fmt::format("cannot be used with '{}': {}{}", conflict.a, conflict.reason,
                       seeHelp(program_)));
  return args;
}

Args Spec::parse(int argc, const char *const *argv) const {
  return parse(std::vector<std::string>(argv + (argc > 0 ? 1 : 0), argv + argc));
}

std::optional<Args> Spec::parseOrPrintHelp(const std::vector<std::string> &words) const {
  Args args = parse(words);
  if (!args.help()) return args;
  const std::string text = help();
  std::fwrite(text.data(), 1, text.size(), stdout);
  return std::nullopt;
}

std::optional<Args> Spec::parseOrPrintHelp(int argc, const char *const *argv) const {
  return parseOrPrintHelp(std::vector<std::string>(argv + (argc > 0 ? 1 : 0), argv + argc));
}

// ---- Args ----

const Option &Args::declared(const std::string &name, std::initializer_list<Kind> kinds) const {
  const Option *option = spec_ ? spec_->find(name) : nullptr;
  if (!option)
    throw std::logic_error(
        fmt::format("{}: {} is not declared", spec_ ? spec_->program() : std::string("?"), name));
  if (kinds.size() > 0 && std::find(kinds.begin(), kinds.end(), option->kind) == kinds.end())
    throw std::logic_error(
        fmt::format("{}: {} is a {}", spec_->program(), name, kindName(option->kind)));
  return *option;
}

const std::string *Args::value(const std::string &name) const {
  const auto found = values_.find(name);
  if (found != values_.end() && !found->second.empty()) return &found->second.back();
  const Option &option = declared(name, {});
  return option.default_value ? &*option.default_value : nullptr;
}

bool Args::given(const std::string &name) const {
  declared(name, {});
  const auto found = values_.find(name);
  return found != values_.end() && !found->second.empty();
}

bool Args::flag(const std::string &name) const {
  declared(name, {Kind::Flag});
  return given(name);
}

std::string Args::text(const std::string &name) const {
  declared(name, {Kind::String, Kind::Path, Kind::List, Kind::Choice, Kind::Integer, Kind::Number});
  const std::string *text = value(name);
  return text ? *text : std::string();
}

int64_t Args::integer(const std::string &name) const {
  declared(name, {Kind::Integer});
  const std::string *text = value(name);
  if (!text) throw std::logic_error(fmt::format("{}: {} has no value", spec_->program(), name));
  return *parseInteger(*text);
}

double Args::number(const std::string &name) const {
  declared(name, {Kind::Number});
  const std::string *text = value(name);
  if (!text) throw std::logic_error(fmt::format("{}: {} has no value", spec_->program(), name));
  return *parseNumber(*text);
}

std::optional<double> Args::optionalNumber(const std::string &name) const {
  declared(name, {Kind::Number});
  if (!given(name)) return std::nullopt;
  return number(name);
}

std::vector<double> Args::numbers(const std::string &name) const {
  declared(name, {Kind::List});
  std::vector<double> values;
  const std::string *text = value(name);
  if (!text) return values;
  for (const std::string &item : listItems(*text)) values.push_back(*parseNumber(item));
  return values;
}

std::vector<std::string> Args::all(const std::string &name) const {
  declared(name, {});
  const auto found = values_.find(name);
  if (found != values_.end() && !found->second.empty()) return found->second;
  const std::string *text = value(name);
  return text ? std::vector<std::string>{*text} : std::vector<std::string>{};
}

// ---- helpers ----

std::string closest(const std::string &word, const std::vector<std::string> &candidates) {
  std::string best;
  size_t best_distance = SIZE_MAX;
  for (const std::string &candidate : candidates) {
    const size_t distance = editDistance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  // A typo: at most a third of the longer word's characters wrong (and at least one may
  // be), or the word is a prefix of the candidate (--corner for --corners, --sched).
  if (best.empty()) return best;
  const size_t longest = std::max(word.size(), best.size());
  const size_t allowed = std::max<size_t>(1, longest / 3);
  if (best_distance <= allowed) return best;
  std::string prefix_match;
  for (const std::string &candidate : candidates)
    if (word.size() >= 4 && candidate.rfind(word, 0) == 0) {
      if (!prefix_match.empty()) return "";  // ambiguous
      prefix_match = candidate;
    }
  return prefix_match;
}

int exitStatusOf(const Error &error) {
  return dynamic_cast<const UsageError *>(&error) ? kExitUsage : kExitInputError;
}

}  // namespace pf::cli
