#include "characterize/synth/Netlist.hh"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <cmath>
#include <set>

#include "core/Error.hh"

namespace pf::synth {

NlModule *Netlist::findModule(const std::string &name) {
  for (NlModule &module : modules)
    if (module.name == name) return &module;
  return nullptr;
}

const NlModule *Netlist::findModule(const std::string &name) const {
  for (const NlModule &module : modules)
    if (module.name == name) return &module;
  return nullptr;
}

const NlModule &Netlist::top() const {
  for (const NlModule &module : modules)
    if (module.is_top) return module;
  throw Error(5220, {}, "", "the synthesized netlist has no top module");
}

const LibCell *CellLibraries::findCell(const std::string &type) const {
  if (std_cells)
    if (const LibCell *cell = std_cells->findCell(type)) return cell;
  if (macros)
    if (const LibCell *cell = macros->findCell(type)) return cell;
  return nullptr;
}

// ------------------------------------------------------------------ JSON conversion
namespace {

PortDir parseDir(const std::string &text) {
  if (text == "input") return PortDir::Input;
  if (text == "output") return PortDir::Output;
  if (text == "inout") return PortDir::Inout;
  return PortDir::Unknown;
}

const char *dirName(PortDir dir) {
  switch (dir) {
    case PortDir::Input:
      return "input";
    case PortDir::Output:
      return "output";
    case PortDir::Inout:
      return "inout";
    default:
      return "input";
  }
}

// Lenient views of a Yosys JSON value: a field of an unexpected type reads as empty/zero,
// as Yosys never writes one (pf::Json's as*() accessors would throw).
const Json::Object &fieldsOf(const Json *json) {
  static const Json::Object kEmpty;
  return json && json->isObject() ? json->asObject() : kEmpty;
}

const std::string &textOf(const Json *json) {
  static const std::string kEmpty;
  return json && json->isString() ? json->asString() : kEmpty;
}

double numberOf(const Json *json) { return json && json->isNumber() ? json->asNumber() : 0; }

std::vector<Bit> parseBits(const Json *bits, Bit &next_bit) {
  std::vector<Bit> out;
  if (!bits || !bits->isArray()) return out;
  for (const Json &item : bits->asArray()) {
    if (item.isNumber()) {
      const Bit bit = static_cast<Bit>(item.asNumber());
      next_bit = std::max(next_bit, bit + 1);
      out.push_back(bit);
    } else {
      const std::string &text = textOf(&item);
      out.push_back(text == "1"   ? kConst1
                    : text == "0" ? kConst0
                    : text == "z" ? kConstZ
                                  : kConstX);
    }
  }
  return out;
}

Json bitsToJson(const std::vector<Bit> &bits) {
  Json::Array array;
  array.reserve(bits.size());
  for (const Bit bit : bits) {
    if (bit >= 0)
      array.emplace_back(static_cast<double>(bit));
    else
      array.emplace_back(bit == kConst1   ? "1"
                         : bit == kConst0 ? "0"
                         : bit == kConstZ ? "z"
                                          : "x");
  }
  return Json(std::move(array));
}

bool hasAttribute(const Json &object, const char *name) {
  const Json *attributes = object.find("attributes");
  return attributes && attributes->find(name);
}

NlModule moduleFromJson(const std::string &name, const Json &json, Bit &next_bit) {
  NlModule module;
  module.name = name;
  module.is_top = hasAttribute(json, "top");
  module.is_blackbox = hasAttribute(json, "blackbox");
  for (const auto &[port_name, port] : fieldsOf(json.find("ports")))
    module.ports.push_back({port_name, parseDir(textOf(port.find("direction"))),
                            parseBits(port.find("bits"), next_bit)});
  for (const auto &[cell_name, cell_json] : fieldsOf(json.find("cells"))) {
    NlCell cell;
    cell.name = cell_name;
    cell.hide_name = numberOf(cell_json.find("hide_name")) != 0;
    cell.type = textOf(cell_json.find("type"));
    if (const Json *parameters = cell_json.find("parameters")) cell.parameters = *parameters;
    for (const auto &[port, dir] : fieldsOf(cell_json.find("port_directions")))
      cell.json_dirs[port] = parseDir(textOf(&dir));
    for (const auto &[port, bits] : fieldsOf(cell_json.find("connections")))
      cell.connections.emplace_back(port, parseBits(&bits, next_bit));
    module.cells.push_back(std::move(cell));
  }
  for (const auto &[net_name, net] : fieldsOf(json.find("netnames")))
    module.netnames.push_back({net_name, numberOf(net.find("hide_name")) != 0,
                               parseBits(net.find("bits"), next_bit)});
  return module;
}

}  // namespace

Netlist netlistFromJson(const Json &json, const std::string &source_name) {
  const Json *modules = json.find("modules");
  if (!modules || !modules->isObject())
    throw Error(5258, {source_name}, "modules", "Yosys JSON netlist has no 'modules' object");
  Netlist netlist;
  for (const auto &[name, module] : modules->asObject())
    netlist.modules.push_back(moduleFromJson(name, module, netlist.next_bit));
  return netlist;
}

Netlist readNetlistJson(const std::string &text, const std::string &source_name) {
  Json json;
  try {
    json = parseJson(text, source_name);
  } catch (const Error &error) {
    if (error.id() != 1403) throw;
    throw Error(5267, error.loc(), "", error.message());
  }
  return netlistFromJson(json, source_name);
}

// Objects are built as Json::Object (names are unique in a module; Json::set() would
// search the object for every key).
Json netlistToJson(const Netlist &netlist) {
  const Json kTrue("00000000000000000000000000000001");
  Json::Object modules;
  for (const NlModule &module : netlist.modules) {
    Json attributes = Json::object();
    if (module.is_top) attributes.set("top", kTrue);
    if (module.is_blackbox) attributes.set("blackbox", kTrue);
    Json::Object ports;
    for (const NlPort &port : module.ports) {
      Json entry = Json::object();
      entry.set("direction", dirName(port.dir));
      entry.set("bits", bitsToJson(port.bits));
      ports.emplace_back(port.name, std::move(entry));
    }
    Json::Object cells;
    for (const NlCell &cell : module.cells) {
      Json::Object connections;
      for (const auto &[port, bits] : cell.connections)
        connections.emplace_back(port, bitsToJson(bits));
      Json entry = Json::object();
      entry.set("hide_name", cell.hide_name ? 1 : 0);
      entry.set("type", cell.type);
      entry.set("parameters", cell.parameters);
      entry.set("attributes", Json::object());
      entry.set("connections", Json(std::move(connections)));
      cells.emplace_back(cell.name, std::move(entry));
    }
    Json::Object netnames;
    for (const NlNetName &net : module.netnames) {
      Json entry = Json::object();
      entry.set("hide_name", net.hide_name ? 1 : 0);
      entry.set("bits", bitsToJson(net.bits));
      entry.set("attributes", Json::object());
      netnames.emplace_back(net.name, std::move(entry));
    }
    Json json = Json::object();
    json.set("attributes", std::move(attributes));
    json.set("ports", Json(std::move(ports)));
    json.set("cells", Json(std::move(cells)));
    json.set("netnames", Json(std::move(netnames)));
    modules.emplace_back(module.name, std::move(json));
  }
  Json root = Json::object();
  root.set("creator", "powerflow characterize/synth");
  root.set("modules", Json(std::move(modules)));
  return root;
}

PortDir cellPortDir(const Netlist &netlist, const CellLibraries &libs, const NlCell &cell,
                    const std::string &port) {
  if (const NlModule *module = netlist.findModule(cell.type)) {
    for (const NlPort &candidate : module->ports)
      if (candidate.name == port) return candidate.dir;
  }
  if (const LibCell *lib_cell = libs.findCell(cell.type)) {
    if (const LibPin *pin = lib_cell->findPin(port)) {
      switch (pin->direction) {
        case LibPinDirection::Input:
          return PortDir::Input;
        case LibPinDirection::Output:
          return PortDir::Output;
        case LibPinDirection::Inout:
          return PortDir::Inout;
        default:
          return PortDir::Unknown;
      }
    }
  }
  auto it = cell.json_dirs.find(port);
  return it == cell.json_dirs.end() ? PortDir::Unknown : it->second;
}

// ------------------------------------------------------------------ module names
namespace {

// "$paramod$<hash>\pf_ctrl" or "$paramod\pf_pe_group\ROWS=8" -> "pf_ctrl" / "pf_pe_group".
std::string baseModuleName(const std::string &name) {
  if (name.rfind("$paramod", 0) != 0) return name;
  const size_t first = name.find('\\');
  if (first == std::string::npos) return "pf_module";
  const size_t second = name.find('\\', first + 1);
  return name.substr(first + 1,
                     second == std::string::npos ? std::string::npos : second - first - 1);
}

std::string sanitize(const std::string &name) {
  std::string out;
  for (const char c : name) out += std::isalnum(static_cast<unsigned char>(c)) ? c : '_';
  if (out.empty() || std::isdigit(static_cast<unsigned char>(out[0]))) out = "m_" + out;
  return out;
}

}  // namespace

void renameDerivedModules(Netlist &netlist) {
  std::set<std::string> taken;
  for (const NlModule &module : netlist.modules)
    if (module.name.rfind("$paramod", 0) != 0) taken.insert(module.name);
  std::map<std::string, std::string> renamed;
  for (NlModule &module : netlist.modules) {
    if (module.name.rfind("$paramod", 0) != 0) continue;
    const std::string base = sanitize(baseModuleName(module.name));
    std::string name = base;
    for (int k = 1; taken.count(name); ++k) name = fmt::format("{}_{}", base, k);
    taken.insert(name);
    renamed[module.name] = name;
    module.name = name;
  }
  for (NlModule &module : netlist.modules)
    for (NlCell &cell : module.cells) {
      auto it = renamed.find(cell.type);
      if (it == renamed.end()) continue;
      cell.type = it->second;
      cell.parameters = Json::object();  // the derived module has its values built in
    }
}

// ------------------------------------------------------------------ instance paths
std::vector<std::string> resolveInstancePath(const Netlist &netlist, const std::string &path,
                                             const std::string &domain, const SourceLoc &loc) {
  std::vector<std::string> chain;
  const NlModule *module = &netlist.top();
  std::string rest = path;
  while (!rest.empty()) {
    // Generate-block instance names contain '.', so take the longest matching prefix.
    const NlCell *match = nullptr;
    for (const NlCell &cell : module->cells) {
      const size_t n = cell.name.size();
      if (rest.compare(0, n, cell.name) == 0 && (rest.size() == n || rest[n] == '.') &&
          (!match || n > match->name.size()))
        match = &cell;
    }
    if (!match)
      throw Error(5221, loc, "instances",
                  fmt::format("domain '{}': instance path '{}' not found in the synthesized "
                              "design (no instance matching '{}' inside module '{}')",
                              domain, path, rest, module->name));
    chain.push_back(match->name);
    rest = rest.size() == match->name.size() ? "" : rest.substr(match->name.size() + 1);
    module = netlist.findModule(match->type);
    if (!module && !rest.empty())
      throw Error(5260, loc, "instances",
                  fmt::format("domain '{}': instance path '{}' descends into leaf cell '{}'",
                              domain, path, match->name));
  }
  if (chain.empty())
    throw Error(5261, loc, "instances", fmt::format("domain '{}': empty instance path", domain));
  return chain;
}

std::pair<NlModule *, NlCell *> cellAt(Netlist &netlist, const std::vector<std::string> &chain) {
  NlModule *module = netlist.findModule(netlist.top().name);
  for (size_t i = 0; i < chain.size(); ++i) {
    NlCell *found = nullptr;
    for (NlCell &cell : module->cells)
      if (cell.name == chain[i]) found = &cell;
    if (!found) return {nullptr, nullptr};
    if (i + 1 == chain.size()) return {module, found};
    module = netlist.findModule(found->type);
    if (!module) return {nullptr, nullptr};
  }
  return {nullptr, nullptr};
}

// ------------------------------------------------------------------ SRAM binding
namespace {

enum class Role { Clock, ChipEnable, WriteEnable, Address, DataIn, DataOut };
constexpr Role kRoles[] = {Role::Clock,   Role::ChipEnable, Role::WriteEnable,
                           Role::Address, Role::DataIn,     Role::DataOut};

const char *roleName(Role role) {
  switch (role) {
    case Role::Clock:
      return "clock";
    case Role::ChipEnable:
      return "chip enable";
    case Role::WriteEnable:
      return "write enable";
    case Role::Address:
      return "address";
    case Role::DataIn:
      return "data in";
    default:
      return "data out";
  }
}

std::string lower(std::string text) {
  for (char &c : text) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return text;
}

// Names both RTL and macro libraries commonly use for each role.
bool nameMatches(const std::string &raw, Role role) {
  static const std::map<Role, std::vector<std::string>> names = {
      {Role::Clock, {"clk", "clock", "ck", "clka"}},
      {Role::ChipEnable,
       {"ce", "cen", "ceb", "ce_n", "cs", "csn", "csb", "cs_n", "me", "men", "en", "enb", "req"}},
      {Role::WriteEnable,
       {"we", "wen", "web", "we_n", "gwe", "gwen", "wr", "wr_en", "write_en", "rw"}},
      {Role::Address, {"a", "addr", "adr", "address", "aa", "ad"}},
      {Role::DataIn, {"d", "di", "din", "wdata", "data_in", "wd"}},
      {Role::DataOut, {"q", "do", "dout", "rdata", "data_out", "rd"}}};
  const std::string name = lower(raw);
  for (const std::string &candidate : names.at(role))
    if (name == candidate) return true;
  return false;
}

bool activeLowName(const std::string &raw) {
  const std::string name = lower(raw);
  if (name.size() > 2 && name.compare(name.size() - 2, 2, "_n") == 0) return true;
  return name.size() > 2 && (name.back() == 'n' || name.back() == 'b');
}

struct PinInfo {
  std::string name;
  bool input = true;
  int width = 1;
  bool is_clock = false;
};

bool shapeFits(const PinInfo &pin, Role role, int address_bits, int data_bits) {
  switch (role) {
    case Role::Clock:
    case Role::ChipEnable:
    case Role::WriteEnable:
      return pin.input && pin.width == 1;
    case Role::Address:
      return pin.input && pin.width == address_bits;
    case Role::DataIn:
      return pin.input && pin.width == data_bits;
    default:
      return !pin.input && pin.width == data_bits;
  }
}

// Picks the pin for a role: the explicit name, else the one whose name and shape fit,
// else the only unused one whose shape fits (and, for the clock, that is a clock pin).
const PinInfo *pickPin(const std::vector<PinInfo> &pins, Role role,
                       const std::string &explicit_name, int address_bits, int data_bits,
                       const std::set<std::string> &used) {
  if (!explicit_name.empty()) {
    for (const PinInfo &pin : pins)
      if (pin.name == explicit_name) return &pin;
    return nullptr;
  }
  for (const PinInfo &pin : pins)
    if (!used.count(pin.name) && shapeFits(pin, role, address_bits, data_bits) &&
        (nameMatches(pin.name, role) || (role == Role::Clock && pin.is_clock)))
      return &pin;
  if (role == Role::ChipEnable || role == Role::WriteEnable) return nullptr;
  const PinInfo *only = nullptr;
  for (const PinInfo &pin : pins) {
    if (used.count(pin.name) || !shapeFits(pin, role, address_bits, data_bits)) continue;
    if (only) return nullptr;
    only = &pin;
  }
  return only;
}

std::string roleBinding(const SramPinBinding *binding, Role role) {
  if (!binding) return "";
  switch (role) {
    case Role::Clock:
      return binding->clock;
    case Role::ChipEnable:
      return binding->chip_enable;
    case Role::WriteEnable:
      return binding->write_enable;
    case Role::Address:
      return binding->address;
    case Role::DataIn:
      return binding->data_in;
    default:
      return binding->data_out;
  }
}

int addressBitsFor(int64_t words) {
  int bits = 0;
  while ((int64_t{1} << bits) < words) ++bits;
  return bits;
}

void recordRole(SramPinRoles &roles, Role role, const std::string &pin, bool active_low) {
  if (role == Role::Clock) roles.clock = pin;
  if (role == Role::ChipEnable) {
    roles.chip_enable = pin;
    roles.chip_enable_active_low = active_low;
  }
  if (role == Role::WriteEnable) {
    roles.write_enable = pin;
    roles.write_enable_active_low = active_low;
  }
}

}  // namespace

void bindSramMacro(Netlist &netlist, const CellLibraries &libs, const DomainSpec &domain,
                   NlModule &parent, NlCell &bank, const SramPinBinding *binding,
                   const LibCell *inverter, SramPinRoles *roles) {
  const LibCell *macro = libs.macros ? libs.macros->findCell(domain.macro) : nullptr;
  if (!macro)
    throw Error(5230, domain.loc, "macro",
                fmt::format("domain '{}': SRAM macro '{}' is not a cell of {}", domain.name,
                            domain.macro, libs.macros ? libs.macros->path : "(no SRAM liberty)"));
  const int address_bits = addressBitsFor(domain.words);
  const int data_bits = static_cast<int>(domain.bits);
  std::vector<PinInfo> macro_pins, rtl_pins;
  for (const LibPin &pin : macro->pins)
    if (pin.direction == LibPinDirection::Input || pin.direction == LibPinDirection::Output)
      macro_pins.push_back(
          {pin.name, pin.direction == LibPinDirection::Input, pin.width, pin.is_clock});
  for (const auto &[port, bits] : bank.connections) {
    const PortDir dir = cellPortDir(netlist, libs, bank, port);
    rtl_pins.push_back({port, dir != PortDir::Output, static_cast<int>(bits.size()), false});
  }
  std::vector<std::pair<std::string, std::vector<Bit>>> connections;
  std::vector<NlCell> inverters;  // appended after `bank` is rewritten (no reallocation)
  std::set<std::string> used_macro, used_rtl;
  for (const Role role : kRoles) {
    const PinInfo *macro_pin =
        pickPin(macro_pins, role, roleBinding(binding, role), address_bits, data_bits, used_macro);
    const PinInfo *rtl_pin = pickPin(rtl_pins, role, "", address_bits, data_bits, used_rtl);
    if (!macro_pin || !rtl_pin)
      throw Error(5231, domain.loc, "macro",
                  fmt::format("domain '{}': cannot bind the {} pin of SRAM macro '{}' ({}) to "
                              "a port of instance '{}' ({}); name it in the SRAM pin binding",
                              domain.name, roleName(role), domain.macro,
                              macro_pin ? macro_pin->name : "no macro pin found", bank.name,
                              rtl_pin ? rtl_pin->name : "no RTL port found"));
    if (macro_pin->width != rtl_pin->width || macro_pin->input != rtl_pin->input)
      throw Error(5262, domain.loc, "macro",
                  fmt::format("domain '{}': macro pin {}.{} ({} bits) does not fit RTL port {} "
                              "({} bits)",
                              domain.name, domain.macro, macro_pin->name, macro_pin->width,
                              rtl_pin->name, rtl_pin->width));
    used_macro.insert(macro_pin->name);
    used_rtl.insert(rtl_pin->name);
    std::vector<Bit> bits;
    for (const auto &[port, port_bits] : bank.connections)
      if (port == rtl_pin->name) bits = port_bits;
    const bool enable = role == Role::ChipEnable || role == Role::WriteEnable;
    const int forced = !binding                    ? -1
                       : role == Role::ChipEnable  ? binding->chip_enable_active_low
                       : role == Role::WriteEnable ? binding->write_enable_active_low
                                                   : -1;
    const bool macro_low = forced >= 0 ? forced == 1 : activeLowName(macro_pin->name);
    if (roles) recordRole(*roles, role, macro_pin->name, macro_low);
    if (enable && macro_low != activeLowName(rtl_pin->name)) {
      if (!inverter)
        throw Error(
            5263, domain.loc, "macro",
            fmt::format("domain '{}': macro pin {} needs an inverter, and the library has none",
                        domain.name, macro_pin->name));
      const Bit inverted = netlist.next_bit++;
      NlCell inv;
      inv.name = fmt::format("{}_{}_inv", bank.name, macro_pin->name);
      inv.type = inverter->name;
      inv.connections = {{singleInput(*inverter)->name, bits},
                         {singleOutput(*inverter)->name, {inverted}}};
      parent.netnames.push_back({inv.name + "_y", false, {inverted}});
      bits = {inverted};
      inverters.push_back(std::move(inv));
    } else if (roles) {
      roles->rtl_ports[macro_pin->name] = rtl_pin->name;
    }
    connections.emplace_back(macro_pin->name, bits);
  }
  std::vector<std::string> unbound;
  for (const PinInfo &pin : macro_pins)
    if (pin.input && !used_macro.count(pin.name)) unbound.push_back(pin.name);
  if (!unbound.empty())
    throw Error(5264, domain.loc, "macro",
                fmt::format("domain '{}': SRAM macro '{}' has input pins with no RTL "
                            "counterpart: {}",
                            domain.name, domain.macro, fmt::join(unbound, ", ")));
  bank.type = macro->name;
  bank.parameters = Json::object();
  bank.json_dirs.clear();
  bank.connections = std::move(connections);
  for (NlCell &inv : inverters) parent.cells.push_back(std::move(inv));
}

}  // namespace pf::synth
