// The command-line parser every powerflow subcommand and bench program uses.
//
// A command declares its options and positional arguments once (name, value placeholder,
// help text, default, kind and range); the same declaration parses the words, gives back
// typed values and writes the --help text, so every command's help has one layout and
// every usage error one wording:
//
//   error PF-1204: powerflow characterize: option '--corner': unknown option (did you mean
//   '--corners'? see powerflow characterize --help)
//
// Usage errors are cli::UsageError (a pf::Error): the command line itself is wrong, not
// the input it names. The command-line edge exits 2 for them, 1 for input errors.
//
// Accepted forms: `--opt VALUE`, `--opt=VALUE`, flags `--flag`, positional arguments in
// their declared order, `--` (every later word is positional), and `--help`/`-h` anywhere
// before `--` (parse() then reports help() and checks nothing else). A value is the next
// word even when it starts with '-' (a negative number), unless it starts with "--".
//
// Message ids (core range 1200-1299), one per message:
//   PF-1201 unexpected argument (more positional arguments than declared)
//   PF-1202 option expects a value
//   PF-1203 not a number
//   PF-1204 unknown option
//   PF-1205 not an integer
//   PF-1206 out of range
//   PF-1207 not one of the accepted values
//   PF-1208 missing argument (a required positional)
//   PF-1209 missing required option
//   PF-1210 option given twice
//   PF-1211 options that cannot be used together
//   PF-1212 a flag given a value (--flag=x)
//   PF-1213 empty value
//   PF-1214 a list with an element that is not a number
//   PF-1215 a list with too few or too many values
//   PF-1216 unknown command (flows/powerflow.cc)
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/Error.hh"

namespace pf::cli {

// A command line that is not what the command declares. what() reads
// "error PF-NNNN: <program>: option '--x': <message>" (or "argument NAME" for a
// positional argument, nothing for the command line as a whole); field() is the option.
class UsageError : public Error {
 public:
  // subject: "option '--x'", "argument FILE" or empty.
  UsageError(int id, const std::string &program, const std::string &field,
             const std::string &subject, const std::string &message);

  const char *what() const noexcept override { return text_.c_str(); }
  const std::string &program() const { return program_; }

 private:
  std::string program_;
  std::string text_;
};

enum class Kind {
  Flag,     // --force: no value
  String,   // any non-empty text
  Path,     // a file or directory name (non-empty)
  Integer,  // whole number, optionally within [min, max]
  Number,   // finite decimal number, optionally within a range (bounds open or closed)
  List,     // numbers separated by spaces or commas ("0.6 0.9"), count within a range
  Choice,   // one of a fixed set of words
};

// What a second occurrence of an option does.
enum class Repeat {
  Once,     // an error (PF-1210)
  Collect,  // every value is kept, in order (Args::all)
};

// One declared option or positional argument. Set up through the fluent setters after
// Spec::option()/positional().
struct Option {
  std::string name;         // "--design"; for a positional its display name, "FILE"
  std::string placeholder;  // "FILE", "N", "\"V1 V2 ...\""; empty for a flag
  std::string help;         // one paragraph; "\n" forces a line break
  Kind kind = Kind::String;
  bool positional = false;
  bool required = false;
  std::string required_unless;               // required unless this other option is given
  std::optional<std::string> default_value;  // parsed like a given value when absent
  std::string default_text;                  // shown instead of default_value ("the period")
  Repeat repeat = Repeat::Once;
  // Integer/Number ranges; List: element count (min_count..max_count).
  std::optional<double> min, max;
  bool min_open = false, max_open = false;  // Number: > min / < max instead of >= / <=
  size_t min_count = 1, max_count = SIZE_MAX;
  std::vector<std::string> choices;

  Option &defaultValue(const std::string &value);
  Option &defaultValue(int64_t value);
  Option &defaultShown(const std::string &text);  // a default that is not a value
  Option &isRequired();
  Option &requiredUnless(const std::string &other);
  Option &atLeast(double value);        // >= value
  Option &above(double value);          // > value
  Option &atMost(double value);         // <= value
  Option &range(double lo, double hi);  // lo..hi, both included
  Option &count(size_t lo, size_t hi);  // List: values per list
  Option &repeatable();
  bool takesValue() const { return kind != Kind::Flag; }
  // "2..65536", "> 0", ">= 1" (empty when unbounded); rangeText(): "must be 2..65536".
  std::string bounds() const;
  std::string rangeText() const;
};

class Args;

class Spec {
 public:
  // program: "powerflow characterize" or "pf_sched_bench"; summary: one line for
  // `powerflow --help`.
  Spec(std::string program, std::string summary);

  // Text printed between the usage line and the option list, and after the list, as
  // written (paragraphs already wrapped).
  Spec &description(std::string text);
  Spec &epilogue(std::string text);

  Option &flag(const std::string &name, const std::string &help);
  Option &string(const std::string &name, const std::string &placeholder, const std::string &help);
  Option &path(const std::string &name, const std::string &placeholder, const std::string &help);
  Option &integer(const std::string &name, const std::string &placeholder, const std::string &help);
  Option &number(const std::string &name, const std::string &placeholder, const std::string &help);
  Option &list(const std::string &name, const std::string &placeholder, const std::string &help);
  Option &choice(const std::string &name, const std::string &placeholder,
                 std::vector<std::string> choices, const std::string &help);
  // Positional arguments, in order; optional ones only after required ones. A positional
  // of kind Choice with a single choice is a fixed word (`powerflow net show FILE`).
  Option &positional(const std::string &name, const std::string &help, Kind kind = Kind::Path);
  Option &word(const std::string &word, const std::string &help);

  // Options a and b together are a usage error (PF-1211); reason says why.
  Spec &conflict(const std::string &a, const std::string &b, const std::string &reason);

  const std::string &program() const { return program_; }
  const std::string &summary() const { return summary_; }
  const std::deque<Option> &options() const { return options_; }  // positionals too
  const Option *find(const std::string &name) const;

  // "usage: powerflow x [--a FILE] ..." wrapped at `width` columns (0: one line).
  std::string usage(size_t width = kWidth) const;
  // The whole --help text: usage, description, arguments, options (defaults shown), epilogue.
  std::string help() const;

  // Throws UsageError on a bad command line.
  Args parse(const std::vector<std::string> &words) const;
  Args parse(int argc, const char *const *argv) const;  // argv[0] is skipped
  // parse(); when help was asked for, prints help() on stdout and returns nothing.
  std::optional<Args> parseOrPrintHelp(const std::vector<std::string> &words) const;
  std::optional<Args> parseOrPrintHelp(int argc, const char *const *argv) const;

  static constexpr size_t kWidth = 90;

  [[noreturn]] void fail(int id, const Option *option, const std::string &message) const;

 private:
  Option &add(Option option);

  std::string program_;
  std::string summary_;
  std::string description_;
  std::string epilogue_;
  std::deque<Option> options_;  // stable references for the fluent setters
  struct Conflict {
    std::string a, b, reason;
  };
  std::vector<Conflict> conflicts_;
};

// The typed result of Spec::parse. Getters take the declared name; asking for an
// undeclared name or the wrong kind is a programming error (std::logic_error).
class Args {
 public:
  bool help() const { return help_; }
  // Given on the command line (not only defaulted).
  bool given(const std::string &name) const;
  bool flag(const std::string &name) const;
  // The value as text (given or default); empty when neither.
  std::string text(const std::string &name) const;
  int64_t integer(const std::string &name) const;
  double number(const std::string &name) const;
  std::optional<double> optionalNumber(const std::string &name) const;  // not defaulted
  std::vector<double> numbers(const std::string &name) const;           // a List
  std::vector<std::string> all(const std::string &name) const;          // a repeatable option
  const std::vector<std::string> &words() const { return words_; }

 private:
  friend class Spec;
  const Option &declared(const std::string &name, std::initializer_list<Kind> kinds) const;
  const std::string *value(const std::string &name) const;  // last given or default

  const Spec *spec_ = nullptr;
  bool help_ = false;
  std::vector<std::string> words_;
  std::map<std::string, std::vector<std::string>> values_;  // given values per name
};

// The closest of candidates to word when it is close (a typo), else empty.
std::string closest(const std::string &word, const std::vector<std::string> &candidates);

// Throws the UsageError of message `id` (what every usage message goes through).
[[noreturn]] void failAt(int id, const std::string &program, const std::string &field,
                         const std::string &subject, const std::string &message);

// Exit status of the command-line edge for an error: 2 for a usage error, 1 otherwise.
int exitStatusOf(const Error &error);

inline constexpr int kExitInputError = 1;
inline constexpr int kExitUsage = 2;
inline constexpr int kExitInternalError = 3;

}  // namespace pf::cli
