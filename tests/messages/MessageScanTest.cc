// The message registry: the scanner on small texts, then the checks on the real tree
// (one number, one message; every number in docs/messages.md and back; warnings
// numbered; numbers written where the scanner sees them) and mutants of a real source
// file that each check must catch.
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>
#include <string>

#include "tests/messages/MessageScan.hh"

namespace fs = std::filesystem;
using namespace pf::messages;
using testing::HasSubstr;

namespace {

const fs::path kRoot = PF_SOURCE_DIR;

// Well below what the tree has (see the registry's count): a scanner that stops seeing
// a kind of site fails here even when every other check passes.
constexpr size_t kMinimumSites = 600;
constexpr size_t kMinimumNumbers = 575;
constexpr size_t kMinimumWarnings = 10;

std::string readText(const fs::path &path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

void writeText(const fs::path &path, const std::string &text) {
  std::ofstream out(path, std::ios::binary);
  out << text;
}

Scan scanSnippet(const std::string &text) {
  Scan scan;
  discoverFunctions("snippet.cc", text, scan);
  scanText("snippet.cc", text, scan);
  return scan;
}

std::string describe(const std::vector<Problem> &problems) {
  std::string text;
  for (const Problem &problem : problems)
    text += problem.file + ":" + std::to_string(problem.line) + ": " + problem.what + "\n";
  return text;
}

// A scratch folder per test, removed at the end.
class Scratch {
 public:
  Scratch() {
    const auto *info = testing::UnitTest::GetInstance()->current_test_info();
    dir_ = fs::temp_directory_path() /
           (std::string("pf_messages_") + info->name() + "_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_);
  }
  ~Scratch() { fs::remove_all(dir_); }
  const fs::path &dir() const { return dir_; }

 private:
  fs::path dir_;
};

// ---------------------------------------------------------------- the scanner

TEST(MessageScanner, FindsAMultiLineSiteWithItsFormatString) {
  const Scan scan = scanSnippet(R"cc(
#include "core/Error.hh"  // PF-9999 in a preprocessor line is not read
    void f(int a) {
      // throw Error(1234, {}, "", "in a comment: not a site");
      throw Error(5401, {file}, "field",
                  fmt::format("cannot {} this "
                              "sequencer: {}",
                              a, 2));
    }
  )cc");
  ASSERT_EQ(scan.sites.size(), 1u) << describe(scan.problems);
  EXPECT_EQ(scan.sites[0].id, 5401);
  EXPECT_EQ(scan.sites[0].line, 5);
  EXPECT_EQ(scan.sites[0].severity, Severity::Error);
  EXPECT_EQ(scan.sites[0].text, "cannot {} this sequencer: {}");
  EXPECT_TRUE(scan.problems.empty()) << describe(scan.problems);
}

TEST(MessageScanner, ShowsComputedPartsOfATextAsPlaceholders) {
  const Scan scan = scanSnippet(R"cc(
    void f() {
      throw Error(5405, {path}, "work_dir", "cannot write the work file: " + error.message());
      reader.fail(1102, key, R"x(required "field" is missing)x");
    }
  )cc");
  ASSERT_EQ(scan.sites.size(), 2u) << describe(scan.problems);
  EXPECT_EQ(scan.sites[0].text, "cannot write the work file: {error.message()}");
  EXPECT_EQ(scan.sites[1].text, "required \"field\" is missing");
  EXPECT_EQ(normalizedText(scan.sites[0].text), "cannot write the work file: {}");
}

TEST(MessageScanner, FindsMessageFunctionsByTheirIdParameter) {
  const Scan scan = scanSnippet(R"cc(
    [[noreturn]] void refuse(int id, const std::string &field, const std::string &message) {
      throw Error(id, {}, field, message);
    }
    void g() {
      refuse(6001, "x", "first");
      refuse(kSomeError, "x", "second");
      refuse(later ? 6005 : 6004, "x", "third");
      fail("a text first: another function of another name's overload");
    }
  )cc");
  ASSERT_EQ(scan.sites.size(), 1u);
  EXPECT_EQ(scan.sites[0].function, "refuse");
  EXPECT_EQ(scan.sites[0].text, "first");
  ASSERT_EQ(scan.problems.size(), 2u) << describe(scan.problems);
  EXPECT_THAT(scan.problems[0].what, HasSubstr("not an integer literal: `kSomeError`"));
  EXPECT_THAT(scan.problems[1].what, HasSubstr("is computed"));
}

TEST(MessageScanner, RefusesANumberThatIsNotTheFirstParameter) {
  const Scan scan = scanSnippet(R"cc(
    void build(const Spec &spec, int error_id);
    void reject(const Network &net, int index, int id, const std::string &what);
  )cc");
  ASSERT_EQ(scan.problems.size(), 2u) << describe(scan.problems);
  EXPECT_THAT(scan.problems[0].what, HasSubstr("parameter 2 `int error_id`"));
  EXPECT_THAT(scan.problems[1].what, HasSubstr("parameter 3 `int id`"));
}

TEST(MessageScanner, KeepsARethrownErrorsNumber) {
  const Scan scan = scanSnippet(R"cc(
    void f() {
      try {
        g();
      } catch (const Error &error) {
        throw Error(error.id(), error.loc(), error.field(), error.message() + " (more)");
      }
    }
  )cc");
  EXPECT_TRUE(scan.sites.empty());
  EXPECT_TRUE(scan.problems.empty()) << describe(scan.problems);
}

TEST(MessageScanner, ReadsMessagesPrintedAsTextAndWarnings) {
  const Scan scan = scanSnippet(R"cc(
    void f() {
      fmt::print(stderr, "internal error PF-0001: {} (please report)\n", what);
      auto w = characterizationWarning(5055, loc, "clock.base_mhz", "the clock is above fmax");
      report(options, "characterize: warning: domain x names no module");
      remark = "the stub PDK's values (PF-5060)";
    }
  )cc");
  ASSERT_EQ(scan.sites.size(), 2u) << describe(scan.problems);
  std::set<std::pair<int, Severity>> found;
  for (const Site &site : scan.sites) found.insert({site.id, site.severity});
  EXPECT_TRUE(found.count({1, Severity::Internal}));
  EXPECT_TRUE(found.count({5055, Severity::Warning}));
  ASSERT_EQ(unnumberedWarnings(scan).size(), 1u) << describe(scan.problems);
  EXPECT_EQ(unnumberedWarnings(scan)[0].line, 5);
  ASSERT_EQ(scan.mentions.size(), 1u);
  EXPECT_EQ(scan.mentions[0].id, 5060);
}

TEST(MessageScanner, OneNumberIsOneFormatString) {
  Scan scan = scanSnippet(R"cc(
    void f() {
      reader.fail(1102, key, "required field is missing");
      reader.fail(1102, other, "required field is missing");
      throw Error(5022, {}, "corners_v", fmt::format("{} needs a voltage", name));
      throw Error(5022, {}, "corners_v", what + " needs a voltage");
    }
  )cc");
  EXPECT_TRUE(checkUnique(scan).empty()) << describe(checkUnique(scan));
  scanText("other.cc", R"(void g() { throw Error(1102, {}, "", "another text"); })", scan);
  const std::vector<Problem> problems = checkUnique(scan);
  ASSERT_EQ(problems.size(), 1u);
  EXPECT_THAT(problems[0].what, HasSubstr("PF-1102 is used for 2 different messages"));
  EXPECT_THAT(problems[0].what, HasSubstr("other.cc:1"));
}

TEST(MessageScanner, WritesTheRegistryBelowItsHead) {
  const Scan scan = scanSnippet(R"cc(
    void f() {
      throw Error(5311, {}, "", message);
      throw Error(1001, {}, "", "cannot | read");
    }
  )cc");
  const std::string head = std::string(
                               "# head\n\n## Families\n\n- PF-5311: a BLIF syntax "
                               "error\n\n## Retired numbers\n\n- PF-5009\n\n") +
                           kGeneratedMarker + "\n";
  const std::string registry = makeRegistry(scan, head + "old table\n");
  EXPECT_EQ(registry.substr(0, head.size()), head);
  EXPECT_THAT(registry, HasSubstr("| PF-1001 | error | core | snippet.cc | `cannot \\| read` |"));
  EXPECT_THAT(registry, HasSubstr("| PF-5311 | error | characterize | snippet.cc | `{message}` "
                                  "(family: a BLIF syntax error) |"));
  EXPECT_EQ(registryNumbers(registry), (std::vector<int>{1001, 5311}));
  EXPECT_EQ(retiredNumbers(registry), std::vector<int>{5009});
  EXPECT_TRUE(checkAll(scan, registry).empty()) << describe(checkAll(scan, registry));
  // Not listed as a family: refused.
  EXPECT_EQ(checkFamilies(scan, "# head\n" + std::string(kGeneratedMarker) + "\n").size(), 1u);
}

// ---------------------------------------------------------------- the tree

class MessageRegistry : public testing::Test {
 protected:
  static void SetUpTestSuite() {
    scan_ = new Scan(scanTree(kRoot));
    registry_ = new std::string(readText(kRoot / "docs" / "messages.md"));
  }
  static void TearDownTestSuite() {
    delete scan_;
    delete registry_;
  }
  static Scan *scan_;
  static std::string *registry_;
};

Scan *MessageRegistry::scan_ = nullptr;
std::string *MessageRegistry::registry_ = nullptr;

TEST_F(MessageRegistry, NoNumberIsSharedByTwoMessages) {
  const std::vector<Problem> problems = checkUnique(*scan_);
  EXPECT_TRUE(problems.empty()) << describe(problems);
}

TEST_F(MessageRegistry, EveryNumberIsAtItsSiteAsALiteral) {
  std::vector<Problem> problems;
  for (const Problem &problem : scan_->problems)
    if (problem.what.find("\"warning") == std::string::npos) problems.push_back(problem);
  EXPECT_TRUE(problems.empty()) << describe(problems);
}

TEST_F(MessageRegistry, WarningsAreNumbered) {
  const std::vector<Problem> problems = unnumberedWarnings(*scan_);
  EXPECT_TRUE(problems.empty()) << describe(problems);
}

TEST_F(MessageRegistry, MentionsAndFamiliesAreOfRealNumbers) {
  std::vector<Problem> problems = checkMentions(*scan_, *registry_);
  for (Problem &problem : checkFamilies(*scan_, *registry_)) problems.push_back(problem);
  EXPECT_TRUE(problems.empty()) << describe(problems);
}

TEST_F(MessageRegistry, DocsListEveryNumberAndOnlyThose) {
  const std::vector<int> listed_list = registryNumbers(*registry_);
  const std::set<int> listed(listed_list.begin(), listed_list.end());
  std::set<int> found;
  for (const Site &site : scan_->sites) found.insert(site.id);
  for (int id : found) EXPECT_TRUE(listed.count(id)) << numberText(id) << " is not in the registry";
  for (int id : listed) EXPECT_TRUE(found.count(id)) << numberText(id) << " is in no source file";
  EXPECT_TRUE(makeRegistry(*scan_, *registry_) == *registry_)
      << "docs/messages.md is not what the sources make: regenerate it (pf_messages write, "
         "see its head)";
}

TEST_F(MessageRegistry, TheScannerSeesTheTree) {
  std::set<int> numbers;
  size_t warnings = 0;
  std::set<std::string> functions;
  for (const Site &site : scan_->sites) {
    numbers.insert(site.id);
    if (site.severity == Severity::Warning) ++warnings;
    functions.insert(site.function);
  }
  EXPECT_GT(scan_->files, 200);
  EXPECT_GE(scan_->sites.size(), kMinimumSites);
  EXPECT_GE(numbers.size(), kMinimumNumbers);
  EXPECT_GE(warnings, kMinimumWarnings);
  for (const char *function : {"Error", "fail", "failAt", "reject", "characterizationWarning", ""})
    EXPECT_TRUE(functions.count(function)) << "no site of " << function;
  EXPECT_TRUE(numbers.count(1)) << "the internal error PF-0001";
}

// ---------------------------------------------------------------- mutants

// A real source file with two message sites of different numbers; each mutant changes
// a scratch copy of it, and the tree scanned with the copy in its place must fail.
class MessageMutant : public MessageRegistry {
 protected:
  void SetUp() override {
    std::map<std::string, std::vector<const Site *>> by_file;
    for (const Site &site : scan_->sites)
      if (site.function == "Error") by_file[site.file].push_back(&site);
    for (const auto &[file, sites] : by_file)
      for (const Site *other : sites)
        if (other->id != sites.front()->id &&
            normalizedText(other->text) != normalizedText(sites.front()->text)) {
          file_ = file;
          victim_ = sites.front();
          donor_ = other;
          break;
        }
    ASSERT_FALSE(file_.empty());
    original_ = readText(kRoot / file_);
  }

  // The copy with the victim's number (first on or after its line) made `number`.
  std::string withNumber(const std::string &number) const {
    std::istringstream in(original_);
    std::string out, line;
    bool done = false;
    for (int n = 1; std::getline(in, line); ++n) {
      if (!done && n >= victim_->line) {
        const std::string old = std::to_string(victim_->id);
        for (size_t at = line.find(old); at != std::string::npos; at = line.find(old, at + 1)) {
          const bool alone = (at == 0 || !std::isalnum(static_cast<unsigned char>(line[at - 1]))) &&
                             !std::isalnum(static_cast<unsigned char>(line[at + old.size()]));
          if (alone) {
            line.replace(at, old.size(), number);
            done = true;
            break;
          }
        }
      }
      out += line + "\n";
    }
    EXPECT_TRUE(done);
    return out;
  }

  Scan scanWith(const std::string &text) const {
    const fs::path copy = scratch_.dir() / fs::path(file_).filename();
    writeText(copy, text);
    return scanTree(kRoot, {{file_, copy}});
  }

  Scratch scratch_;
  std::string file_;
  const Site *victim_ = nullptr;
  const Site *donor_ = nullptr;
  std::string original_;
};

TEST_F(MessageMutant, TheUnchangedCopyPasses) {
  const Scan scan = scanWith(original_);
  EXPECT_EQ(scan.sites.size(), scan_->sites.size());
  EXPECT_EQ(checkUnique(scan).size(), checkUnique(*scan_).size());
  EXPECT_EQ(makeRegistry(scan, *registry_), makeRegistry(*scan_, *registry_));
}

TEST_F(MessageMutant, ASharedNumberFails) {
  const Scan scan = scanWith(withNumber(std::to_string(donor_->id)));
  const std::vector<Problem> problems = checkUnique(scan);
  ASSERT_FALSE(problems.empty());
  bool named = false;
  for (const Problem &problem : problems)
    named =
        named || problem.what.find(numberText(donor_->id) + " is used for") != std::string::npos;
  EXPECT_TRUE(named) << describe(problems);
}

TEST_F(MessageMutant, AnUnregisteredNumberFails) {
  std::set<int> used;
  for (const Site &site : scan_->sites) used.insert(site.id);
  int unused = 9499;
  while (used.count(unused)) --unused;
  const Scan scan = scanWith(withNumber(std::to_string(unused)));
  const std::vector<Problem> problems = checkAll(scan, *registry_);
  bool named = false;
  for (const Problem &problem : problems)
    named =
        named || problem.what == numberText(unused) + " is in the sources but not in the registry";
  EXPECT_TRUE(named) << describe(problems);
}

TEST_F(MessageMutant, ANamedNumberFails) {
  const Scan scan = scanWith(withNumber("kPlantedError"));
  bool named = false;
  for (const Problem &problem : scan.problems)
    named =
        named || problem.what.find("not an integer literal: `kPlantedError`") != std::string::npos;
  EXPECT_TRUE(named) << describe(scan.problems);
}

TEST_F(MessageMutant, AnUnnumberedWarningFails) {
  const Scan scan =
      scanWith(original_ + "\nvoid planted() { say(\"stage: warning: planted\"); }\n");
  const std::vector<Problem> problems = unnumberedWarnings(scan);
  ASSERT_EQ(problems.size(), unnumberedWarnings(*scan_).size() + 1) << describe(problems);
}

}  // namespace
