#include "characterize/energy/GateNetlist.hh"

#include <fmt/format.h>

#include <map>
#include <sstream>

#include "core/Error.hh"
#include "core/Files.hh"

namespace pf::energy {

const NetlistPort *GateNetlist::findPort(const std::string &name) const {
  for (const NetlistPort &port : ports) {
    if (port.name == name) return &port;
  }
  return nullptr;
}

int GateNetlist::addNet(const std::string &name) {
  net_names.push_back(name);
  return numNets() - 1;
}

namespace {

struct BlifLine {
  int number = 0;
  std::vector<std::string> words;
};

// Splits into logical lines: comments removed, '\' continuations joined, blank lines dropped.
std::vector<BlifLine> blifLines(const std::string &text) {
  std::vector<BlifLine> lines;
  std::istringstream in(text);
  std::string raw, joined;
  int number = 0, start = 0;
  while (std::getline(in, raw)) {
    ++number;
    if (joined.empty()) start = number;
    if (const size_t hash = raw.find('#'); hash != std::string::npos) raw.erase(hash);
    const bool continued = !raw.empty() && raw.back() == '\\';
    if (continued) raw.pop_back();
    joined += raw + " ";
    if (continued) continue;
    BlifLine line{start, {}};
    std::istringstream words(joined);
    for (std::string w; words >> w;) line.words.push_back(w);
    if (!line.words.empty()) lines.push_back(std::move(line));
    joined.clear();
  }
  return lines;
}

// Union-find over net names, so `.names a b / 1 1` buffers become one net.
class NameUnion {
 public:
  int id(const std::string &name) {
    auto [it, inserted] = ids_.try_emplace(name, static_cast<int>(parent_.size()));
    if (inserted) {
      parent_.push_back(it->second);
      names_.push_back(name);
    }
    return it->second;
  }
  int find(int i) {
    while (parent_[i] != i) i = parent_[i] = parent_[parent_[i]];
    return i;
  }
  void unite(int a, int b) { parent_[find(b)] = find(a); }
  const std::string &name(int i) const { return names_[i]; }
  int size() const { return static_cast<int>(parent_.size()); }

 private:
  std::map<std::string, int> ids_;
  std::vector<int> parent_;
  std::vector<std::string> names_;
};

// "x_in[12]" -> ("x_in", 12); "clk" -> ("clk", -1).
std::pair<std::string, int> splitBit(const std::string &name) {
  if (name.size() > 3 && name.back() == ']') {
    const size_t open = name.rfind('[');
    if (open != std::string::npos && open > 0) {
      const std::string digits = name.substr(open + 1, name.size() - open - 2);
      if (!digits.empty() && digits.find_first_not_of("0123456789") == std::string::npos)
        return {name.substr(0, open), std::stoi(digits)};
    }
  }
  return {name, -1};
}

struct RawPortBit {
  std::string name;
  bool is_input;
};

}  // namespace

GateNetlist parseBlif(const std::string &text, const std::string &source) {
  const std::vector<BlifLine> lines = blifLines(text);
  auto fail = [&](int line, const std::string &message) -> Error {
    return Error(5311, {source, line, 0}, "", message);
  };
  NameUnion names;
  const int kFalse = names.id("$false"), kTrue = names.id("$true"), kUndef = names.id("$undef");
  names.unite(kFalse, kUndef);
  GateNetlist netlist;
  std::vector<RawPortBit> port_bits;
  struct RawCell {
    std::string type;
    std::vector<std::pair<std::string, int>> pins;  // name-union ids
  };
  std::vector<RawCell> raw_cells;
  bool in_model = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const BlifLine &line = lines[i];
    const std::string &key = line.words[0];
    if (key == ".model") {
      if (in_model) throw fail(line.number, "more than one .model: flatten the design first");
      in_model = true;
      netlist.top = line.words.size() > 1 ? line.words[1] : "";
    } else if (key == ".inputs" || key == ".outputs") {
      for (size_t w = 1; w < line.words.size(); ++w) {
        port_bits.push_back({line.words[w], key == ".inputs"});
        names.id(line.words[w]);
      }
    } else if (key == ".names") {
      std::vector<std::string> cover;
      while (i + 1 < lines.size() && lines[i + 1].words[0][0] != '.') {
        ++i;
        std::string row;
        for (const std::string &w : lines[i].words) row += (row.empty() ? "" : " ") + w;
        cover.push_back(row);
      }
      if (line.words.size() == 2) {  // constant driver
        const int net = names.id(line.words[1]);
        const bool one = cover.size() == 1 && cover[0] == "1";
        if (!cover.empty() && !one) throw fail(line.number, "unsupported constant .names cover");
        if (net != kFalse && net != kTrue && net != kUndef) names.unite(one ? kTrue : kFalse, net);
      } else if (line.words.size() == 3 && cover.size() == 1 && cover[0] == "1 1") {
        names.unite(names.id(line.words[1]), names.id(line.words[2]));
      } else {
        throw fail(line.number,
                   "only buffer and constant .names are supported in a mapped netlist");
      }
    } else if (key == ".subckt" || key == ".gate") {
      if (line.words.size() < 2) throw fail(line.number, ".subckt without a cell name");
      RawCell cell{line.words[1], {}};
      for (size_t w = 2; w < line.words.size(); ++w) {
        const size_t eq = line.words[w].find('=');
        if (eq == std::string::npos) throw fail(line.number, "expected PIN=net in .subckt");
        cell.pins.emplace_back(line.words[w].substr(0, eq), names.id(line.words[w].substr(eq + 1)));
      }
      raw_cells.push_back(std::move(cell));
    } else if (key == ".end") {
      break;
    } else {
      throw fail(line.number, fmt::format("unsupported BLIF construct '{}'", key));
    }
  }
  if (!in_model) throw fail(0, "no .model");

  // Number the alias classes; constants map to kConst0 / kConst1.
  std::vector<int> net_of(names.size(), -3);
  auto netOf = [&](int name_id) {
    const int root = names.find(name_id);
    if (root == names.find(kFalse)) return GateNetlist::kConst0;
    if (root == names.find(kTrue)) return GateNetlist::kConst1;
    if (net_of[root] == -3) net_of[root] = netlist.addNet(names.name(root));
    return net_of[root];
  };
  // Ports first, so port bits keep their own names and low net ids.
  std::map<std::string, size_t> port_index;
  for (const RawPortBit &bit : port_bits) {
    const auto [base, index] = splitBit(bit.name);
    auto [it, inserted] = port_index.try_emplace(base, netlist.ports.size());
    if (inserted) netlist.ports.push_back({base, bit.is_input, {}});
    NetlistPort &port = netlist.ports[it->second];
    const size_t slot = index < 0 ? 0 : static_cast<size_t>(index);
    if (port.nets.size() <= slot) port.nets.resize(slot + 1, GateNetlist::kConst0);
    port.nets[slot] = netOf(names.id(bit.name));
  }
  for (size_t c = 0; c < raw_cells.size(); ++c) {
    NetlistCell cell{raw_cells[c].type, fmt::format("c{}", c), {}};
    for (const auto &[pin, name_id] : raw_cells[c].pins)
      cell.pins.emplace_back(pin, netOf(name_id));
    netlist.cells.push_back(std::move(cell));
  }
  return netlist;
}

GateNetlist readBlif(const std::string &path) { return parseBlif(readTextFile(path), path); }

}  // namespace pf::energy
