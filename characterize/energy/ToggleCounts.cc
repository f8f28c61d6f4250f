#include "characterize/energy/ToggleCounts.hh"

#include <fmt/format.h>

#include <charconv>
#include <string_view>

#include "core/Error.hh"
#include "core/Files.hh"

namespace pf::energy {

namespace {

constexpr const char *kMagic = "powerflow-toggle-counts 1";

// The whitespace-separated words of one line, with the line number for errors.
class Lines {
 public:
  Lines(const std::string &text, std::string path) : text_(text), path_(std::move(path)) {}

  // The next line's words; false at the end of the text.
  bool next(std::vector<std::string_view> &words) {
    words.clear();
    if (pos_ >= text_.size()) return false;
    size_t end = text_.find('\n', pos_);
    if (end == std::string_view::npos) end = text_.size();
    const std::string_view line = text_.substr(pos_, end - pos_);
    pos_ = end + 1;
    ++line_;
    size_t i = 0;
    while (i < line.size()) {
      while (i < line.size() && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r')) ++i;
      size_t j = i;
      while (j < line.size() && line[j] != ' ' && line[j] != '\t' && line[j] != '\r') ++j;
      if (j > i) words.push_back(line.substr(i, j - i));
      i = j;
    }
    return true;
  }

  [[noreturn]] void fail(const std::string &field, const std::string &message) const {
    throw Error(5334, {path_, line_}, field, message);
  }

  template <typename T>
  T number(std::string_view word, const char *field) const {
    T value{};
    const auto [end, ec] = std::from_chars(word.data(), word.data() + word.size(), value);
    if (ec != std::errc() || end != word.data() + word.size())
      fail(field, fmt::format("'{}' is not a number", word));
    return value;
  }

 private:
  std::string_view text_;
  std::string path_;
  size_t pos_ = 0;
  int line_ = 0;
};

}  // namespace

void writeToggleCounts(const std::string &path, const GateNetlist &netlist,
                       const std::vector<ClassToggleCounts> &classes) {
  const size_t nets = static_cast<size_t>(netlist.numNets());
  fmt::memory_buffer out;
  fmt::format_to(std::back_inserter(out), "{}\nnets {} classes {}\n", kMagic, nets, classes.size());
  for (const ClassToggleCounts &cls : classes) {
    if (cls.rise.size() != nets || cls.fall.size() != nets)
      throw Error(5336, {path}, cls.op_class, "toggle counts are for another netlist");
    fmt::format_to(std::back_inserter(out), "class {} {:.17g} {}\n", cls.op_class, cls.sparsity,
                   cls.cycles);
  }
  for (size_t n = 0; n < nets; ++n) {
    fmt::format_to(std::back_inserter(out), "{}", netlist.net_names[n]);
    for (const ClassToggleCounts &cls : classes)
      fmt::format_to(std::back_inserter(out), " {} {}", cls.rise[n], cls.fall[n]);
    out.push_back('\n');
  }
  writeFileAtomic(path, fmt::to_string(out));
}

std::vector<ClassToggleCounts> readToggleCounts(const std::string &path,
                                                const GateNetlist &netlist) {
  const std::string text = readTextFile(path);
  Lines lines(text, path);
  std::vector<std::string_view> words;
  if (!lines.next(words) || words.size() != 2 || words[0] != "powerflow-toggle-counts")
    lines.fail("format", fmt::format("not a toggle count file (expected '{}')", kMagic));
  if (words[1] != "1") lines.fail("format", fmt::format("version {} is not 1", words[1]));
  if (!lines.next(words) || words.size() != 4 || words[0] != "nets" || words[2] != "classes")
    lines.fail("nets", "expected 'nets <N> classes <K>'");
  const size_t nets = lines.number<size_t>(words[1], "nets");
  const size_t count = lines.number<size_t>(words[3], "classes");
  if (nets != static_cast<size_t>(netlist.numNets()))
    lines.fail("nets", fmt::format("the counts are for {} nets, the netlist has {}", nets,
                                   netlist.numNets()));
  std::vector<ClassToggleCounts> classes(count);
  for (ClassToggleCounts &cls : classes) {
    if (!lines.next(words) || words.size() != 4 || words[0] != "class")
      lines.fail("class", "expected 'class <name> <sparsity> <cycles>'");
    cls.op_class = std::string(words[1]);
    cls.sparsity = lines.number<double>(words[2], "sparsity");
    cls.cycles = lines.number<int64_t>(words[3], "cycles");
    cls.rise.resize(nets);
    cls.fall.resize(nets);
  }
  for (size_t n = 0; n < nets; ++n) {
    if (!lines.next(words) || words.size() != 1 + 2 * count)
      lines.fail("net", fmt::format("expected a net name and {} counts", 2 * count));
    if (words[0] != netlist.net_names[n])
      lines.fail("net", fmt::format("net {} is '{}' here and '{}' in the netlist", n, words[0],
                                    netlist.net_names[n]));
    for (size_t c = 0; c < count; ++c) {
      classes[c].rise[n] = lines.number<uint32_t>(words[1 + 2 * c], "rise");
      classes[c].fall[n] = lines.number<uint32_t>(words[2 + 2 * c], "fall");
    }
  }
  while (lines.next(words))
    if (!words.empty()) lines.fail("net", "more lines than nets");
  return classes;
}

}  // namespace pf::energy
