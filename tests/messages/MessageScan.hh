// The message scanner: finds every numbered message site in the sources (the
// convention is at the top of docs/messages.md), checks that one number means one
// message, and writes the registry, docs/messages.md.
//
// A site is a call of a message function (pf::Error, the `fail` helpers, ...; see
// kMessageFunctions in MessageScan.cc) whose first argument is the number as an integer
// literal and whose last argument is the message text; or a string literal that starts
// "error PF-NNNN: ", "warning PF-NNNN: " or "internal error PF-NNNN: " (a message
// printed as text). The scanner is a C++ tokenizer, not a compiler: comments and
// preprocessor lines are skipped, adjacent string literals are joined, and a text built
// with fmt::format or `+` is shown with `{}` for what is filled in at run time.
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <vector>

namespace pf::messages {

enum class Severity { Error, Warning, Internal };

const char *severityName(Severity severity);

struct Site {
  int id = 0;
  Severity severity = Severity::Error;
  std::string file;  // relative to the root, '/'-separated
  int line = 0;
  std::string function;  // "Error", "fail", ...; "" for a text-formatted message
  std::string text;      // the message's format string
};

// "PF-NNNN" in a string literal or a comment that is not itself a site: a mention of a
// message (a remark naming a warning, a comment saying what a function throws).
struct Mention {
  int id = 0;
  std::string file;
  int line = 0;
};

struct Problem {
  std::string file;
  int line = 0;
  std::string what;
  int id = 0;  // the number it is about, for checkUnique and checkFamilies; 0 otherwise
};

struct Scan {
  std::vector<Site> sites;
  std::vector<Mention> mentions;
  std::vector<Problem> problems;         // sites that break the convention
  std::map<std::string, int> functions;  // message functions found: name -> number's place
  int files = 0;
};

// The message's number as it is printed: "PF-0001", "PF-5101", "PF-10901".
std::string numberText(int id);

// The stage a number belongs to, by the id ranges of core/Error.hh.
std::string stageOf(int id);

// The source files the scanner reads, relative to `root`, sorted: every .cc/.hh/.cpp/.h
// below root except in tests/, bench/, fuzz/, out/, hidden folders and build folders.
std::vector<std::string> sourceFiles(const std::filesystem::path &root);

// Finds the message functions a file declares (a parameter `int id`) into
// scan.functions; scanTree does this for every file before scanning any.
void discoverFunctions(const std::string &file, const std::string &text, Scan &scan);

// Scans one file's text; `file` is the name the sites carry.
void scanText(const std::string &file, const std::string &text, Scan &scan);

// Scans every file of sourceFiles(root). `replace` maps a relative name to another file
// read in its place (the tests plant mistakes in scratch copies this way).
Scan scanTree(const std::filesystem::path &root,
              const std::map<std::string, std::filesystem::path> &replace = {});

// A format string as compared: every `{...}` made `{}` (what fills it in does not
// matter), `{{` and `}}` kept.
std::string normalizedText(const std::string &text);

// A text with no words of its own (`{message}`, `{}: {}`): made elsewhere.
bool computedText(const std::string &text);

// One number, one message: a number at two sites with different format strings
// (normalizedText), or in two severities. Sorted by number.
std::vector<Problem> checkUnique(const Scan &scan);

// Warnings carry numbers: a string literal saying "warning:" that is not a numbered
// site is a problem (found while scanning; this picks them out of scan.problems).
std::vector<Problem> unnumberedWarnings(const Scan &scan);

// Mentions of numbers that no site has and the registry's hand-written part does not
// list as retired.
std::vector<Problem> checkMentions(const Scan &scan, const std::string &registry);

// The registry: `registry`'s hand-written head up to and including the marker line
// kGeneratedMarker, then the generated table of every message of `scan`.
extern const char *const kGeneratedMarker;
std::string makeRegistry(const Scan &scan, const std::string &registry);

// The numbers listed in a registry's generated table.
std::vector<int> registryNumbers(const std::string &registry);

// The numbers retired: those named in the head's section "## Retired numbers".
std::vector<int> retiredNumbers(const std::string &registry);

// The families: the head's section "## Families", one line "- PF-NNNN: what its text
// says" per number whose text is made elsewhere (a parser's detail, a re-thrown error).
std::map<int, std::string> families(const std::string &registry);

// A site whose text is made elsewhere (computedText) must be a listed family, and
// every listed family must have such a site.
std::vector<Problem> checkFamilies(const Scan &scan, const std::string &registry);

// Everything: the convention problems found while scanning, checkUnique, the mentions,
// the families,
// the registry against a regenerated one (every number of the sources in it, every
// number in it in the sources, and the same text).
std::vector<Problem> checkAll(const Scan &scan, const std::string &registry);

}  // namespace pf::messages
