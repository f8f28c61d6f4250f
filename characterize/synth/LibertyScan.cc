#include "characterize/synth/LibertyScan.hh"

#include <fmt/format.h>

#include <cctype>
#include <cstdlib>
#include <fstream>
#include <memory>
#include <sstream>

#include "core/Error.hh"

namespace pf::synth {

const LibPin *LibCell::findPin(const std::string &pin_name) const {
  for (const LibPin &pin : pins)
    if (pin.name == pin_name) return &pin;
  return nullptr;
}

const LibCell *LibFacts::findCell(const std::string &cell_name) const {
  auto it = index.find(cell_name);
  return it == index.end() ? nullptr : &cells[it->second];
}

namespace {

// A liberty group with its simple attributes; tables and complex attributes that the
// stage does not need are dropped while scanning.
struct Group {
  std::string type;
  std::vector<std::string> args;
  std::vector<std::pair<std::string, std::string>> attributes;
  std::vector<std::unique_ptr<Group>> children;
  int line = 0;

  std::string attribute(const std::string &key) const {
    for (const auto &[name, value] : attributes)
      if (name == key) return value;
    return "";
  }
};

class Scanner {
 public:
  Scanner(std::string text, std::string path) : text_(std::move(text)), path_(std::move(path)) {}

  std::unique_ptr<Group> parseLibrary() {
    std::string word = token();
    if (word != "library")
      fail(fmt::format("expected 'library (...)' at the start, found '{}'", word));
    auto group = std::make_unique<Group>();
    group->type = word;
    group->line = line_;
    group->args = argumentList();
    if (token() != "{") fail("expected '{' after library (...)");
    parseBody(*group);
    return group;
  }

 private:
  [[noreturn]] void fail(const std::string &what) const {
    throw Error(5240, {path_, line_, 0}, "", "liberty structure: " + what);
  }

  void skipSpace() {
    while (pos_ < text_.size()) {
      const char c = text_[pos_];
      if (c == '\n') {
        ++line_;
        ++pos_;
      } else if (c == ' ' || c == '\t' || c == '\r' || c == '\\') {
        ++pos_;
      } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '*') {
        const size_t end = text_.find("*/", pos_ + 2);
        if (end == std::string::npos) fail("unterminated comment");
        for (size_t i = pos_; i < end; ++i) line_ += text_[i] == '\n';
        pos_ = end + 2;
      } else if (c == '/' && pos_ + 1 < text_.size() && text_[pos_ + 1] == '/') {
        while (pos_ < text_.size() && text_[pos_] != '\n') ++pos_;
      } else {
        return;
      }
    }
  }

  // Next token: punctuation, a quoted string (without quotes) or a bare word.
  std::string token() {
    skipSpace();
    if (pos_ >= text_.size()) return "";
    const char c = text_[pos_];
    if (std::string("(){};:,").find(c) != std::string::npos) {
      ++pos_;
      return std::string(1, c);
    }
    if (c == '"') {
      const size_t end = text_.find('"', pos_ + 1);
      if (end == std::string::npos) fail("unterminated string");
      std::string value = text_.substr(pos_ + 1, end - pos_ - 1);
      for (const char v : value) line_ += v == '\n';
      pos_ = end + 1;
      return value;
    }
    const size_t start = pos_;
    while (pos_ < text_.size() && !std::isspace(static_cast<unsigned char>(text_[pos_])) &&
           std::string("(){};:,\"").find(text_[pos_]) == std::string::npos)
      ++pos_;
    return text_.substr(start, pos_ - start);
  }

  std::string peek() {
    const size_t pos = pos_;
    const int line = line_;
    std::string word = token();
    pos_ = pos;
    line_ = line;
    return word;
  }

  std::vector<std::string> argumentList() {
    if (token() != "(") fail("expected '('");
    std::vector<std::string> args;
    for (std::string word = token(); word != ")"; word = token()) {
      if (word.empty()) fail("unexpected end of file inside (...)");
      if (word != ",") args.push_back(word);
    }
    return args;
  }

  void parseBody(Group &group) {
    for (;;) {
      const std::string name = token();
      if (name.empty())
        fail(fmt::format("missing '}}' closing {} (line {})", group.type, group.line));
      if (name == "}") return;
      if (name == ";") continue;
      const std::string next = token();
      if (next == ":") {
        std::string value = token();
        // Values may run over several tokens (unquoted expressions): join up to ';'.
        while (peek() != ";" && peek() != "}" && !peek().empty()) value += " " + token();
        if (peek() == ";") token();
        group.attributes.emplace_back(name, value);
      } else if (next == "(") {
        pos_ -= 1;  // re-read the '(' in argumentList
        const int line = line_;
        std::vector<std::string> args = argumentList();
        if (peek() == "{") {
          token();
          auto child = std::make_unique<Group>();
          child->type = name;
          child->args = std::move(args);
          child->line = line;
          parseBody(*child);
          group.children.push_back(std::move(child));
        } else if (peek() == ";") {
          token();  // complex attribute, not needed
        }
      } else {
        fail(fmt::format("expected ':' or '(' after '{}', found '{}'", name, next));
      }
    }
  }

  std::string text_;
  std::string path_;
  size_t pos_ = 0;
  int line_ = 1;
};

// Pin names referenced by an ff/latch expression like "!RN" or "(CK)".
std::vector<std::string> expressionPins(const std::string &expression) {
  std::vector<std::string> names;
  std::string word;
  for (const char c : expression + " ") {
    if (std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '[' || c == ']') {
      word += c;
    } else {
      if (!word.empty()) names.push_back(word);
      word.clear();
    }
  }
  return names;
}

LibPinDirection parseDirection(const std::string &text) {
  if (text == "output") return LibPinDirection::Output;
  if (text == "inout") return LibPinDirection::Inout;
  if (text == "internal") return LibPinDirection::Internal;
  return LibPinDirection::Input;
}

LibCell readCell(const Group &group, const std::map<std::string, int> &bus_widths) {
  LibCell cell;
  cell.name = group.args.empty() ? "" : group.args[0];
  cell.area_um2 = std::atof(group.attribute("area").c_str());
  cell.dont_use = group.attribute("dont_use") == "true";
  cell.is_macro = group.attribute("is_macro_cell") == "true";
  cell.is_level_shifter = group.attribute("is_level_shifter") == "true";
  cell.is_special = group.attribute("is_isolation_cell") == "true" ||
                    !group.attribute("switch_cell_type").empty() ||
                    !group.attribute("clock_gating_integrated_cell").empty();
  std::vector<std::string> clock_pins, async_pins;
  for (const auto &child : group.children) {
    if (child->type == "ff" || child->type == "latch" || child->type == "ff_bank") {
      cell.is_sequential = true;
      for (const auto &pin : expressionPins(child->attribute("clocked_on")))
        clock_pins.push_back(pin);
      for (const auto &pin : expressionPins(child->attribute("enable"))) clock_pins.push_back(pin);
      for (const char *key : {"clear", "preset"})
        for (const auto &pin : expressionPins(child->attribute(key))) async_pins.push_back(pin);
    } else if (child->type == "memory") {
      cell.is_macro = true;
    } else if ((child->type == "pin" || child->type == "bus") && !child->args.empty()) {
      LibPin pin;
      pin.name = child->args[0];
      pin.direction = parseDirection(child->attribute("direction"));
      pin.is_clock = child->attribute("clock") == "true";
      pin.function = child->attribute("function");
      pin.is_bus = child->type == "bus";
      if (pin.is_bus) {
        auto it = bus_widths.find(child->attribute("bus_type"));
        pin.width = it == bus_widths.end() ? 1 : it->second;
      }
      cell.pins.push_back(pin);
    }
  }
  for (LibPin &pin : cell.pins) {
    for (const auto &name : clock_pins) pin.is_clock = pin.is_clock || name == pin.name;
    for (const auto &name : async_pins) pin.is_async = pin.is_async || name == pin.name;
  }
  return cell;
}

}  // namespace

LibFacts scanLiberty(const std::string &path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw Error(5202, {path}, "", "cannot read liberty file (missing or unreadable)");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  Scanner scanner(buffer.str(), path);
  const std::unique_ptr<Group> library = scanner.parseLibrary();
  LibFacts facts;
  facts.path = path;
  facts.name = library->args.empty() ? "" : library->args[0];
  facts.nominal_voltage_v = std::atof(library->attribute("nom_voltage").c_str());
  std::map<std::string, int> bus_widths;
  for (const auto &child : library->children)
    if (child->type == "type" && !child->args.empty())
      bus_widths[child->args[0]] = std::atoi(child->attribute("bit_width").c_str());
  for (const auto &child : library->children) {
    if (child->type != "cell") continue;
    // Bus types may also be declared inside the cell.
    std::map<std::string, int> widths = bus_widths;
    for (const auto &grand : child->children)
      if (grand->type == "type" && !grand->args.empty())
        widths[grand->args[0]] = std::atoi(grand->attribute("bit_width").c_str());
    LibCell cell = readCell(*child, widths);
    facts.index[cell.name] = facts.cells.size();
    facts.cells.push_back(std::move(cell));
  }
  if (facts.cells.empty()) throw Error(5240, {path}, "", "liberty file defines no cells");
  return facts;
}

const LibPin *singleInput(const LibCell &cell) {
  const LibPin *found = nullptr;
  for (const LibPin &pin : cell.pins) {
    if (pin.direction != LibPinDirection::Input) continue;
    if (found) return nullptr;
    found = &pin;
  }
  return found;
}

const LibPin *singleOutput(const LibCell &cell) {
  const LibPin *found = nullptr;
  for (const LibPin &pin : cell.pins) {
    if (pin.direction != LibPinDirection::Output) continue;
    if (found) return nullptr;
    found = &pin;
  }
  return found;
}

namespace {

std::string stripSpaces(const std::string &text) {
  std::string out;
  for (const char c : text)
    if (!std::isspace(static_cast<unsigned char>(c)) && c != '(' && c != ')') out += c;
  return out;
}

// A one-input one-output plain gate whose function is `prefix + input`.
bool isUnaryGate(const LibCell &cell, const std::string &prefix) {
  if (cell.dont_use || cell.is_sequential || cell.is_macro || cell.is_level_shifter ||
      cell.is_special)
    return false;
  const LibPin *in = singleInput(cell);
  const LibPin *out = singleOutput(cell);
  if (!in || !out || in->is_bus || out->is_bus) return false;
  const std::string function = stripSpaces(out->function);
  return function == prefix + in->name || (prefix == "!" && function == in->name + "'");
}

}  // namespace

const LibCell *findBufferCell(const LibFacts &lib) {
  const LibCell *best = nullptr;
  for (const LibCell &cell : lib.cells)
    if (isUnaryGate(cell, "") && (!best || cell.area_um2 > best->area_um2)) best = &cell;
  return best;
}

const LibCell *findInverterCell(const LibFacts &lib) {
  const LibCell *best = nullptr;
  for (const LibCell &cell : lib.cells)
    if (isUnaryGate(cell, "!") && (!best || cell.area_um2 < best->area_um2)) best = &cell;
  return best;
}

const LibCell *findLevelShifterCell(const LibFacts &lib) {
  for (const LibCell &cell : lib.cells)
    if (cell.is_level_shifter && singleInput(cell) && singleOutput(cell)) return &cell;
  return nullptr;
}

}  // namespace pf::synth
