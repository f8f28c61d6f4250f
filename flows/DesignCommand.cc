#include "flows/DesignCommand.hh"

#include <fmt/format.h>

#include "core/Design.hh"
#include "core/Error.hh"

namespace pf {

const char *const kDesignCommandSummary = "validate a design TOML and print its power domains";
const char *const kDesignCommandHelp =
    "usage: powerflow design [FILE]\n"
    "\n"
    "Reads a design description (default: rtl/design.toml), checks it (known fields,\n"
    "one always-on domain, unique names, ports and columns, 1 to 8 ascending rail\n"
    "voltages, file lists that exist) and prints its domains. Exit status 0 when the\n"
    "file is valid; otherwise the first problem is reported with file, line and field.\n"
    "The format is documented in docs/formats.md.\n";

namespace {

std::string describeDomain(const DomainSpec &domain) {
  switch (domain.kind) {
    case DomainKind::AlwaysOn:
      return fmt::format("modules {}", fmt::join(domain.modules, ", "));
    case DomainKind::PeGroup:
      return fmt::format("columns {}; pgood {}, iso {}, reset {}", fmt::join(domain.columns, ","),
                         domain.pgood_port, domain.iso_port, domain.reset_port);
    case DomainKind::SramBank:
      return fmt::format("{} ({}x{}); pgood {}, iso {}, retention {}", domain.macro, domain.words,
                         domain.bits, domain.pgood_port, domain.iso_port, domain.retention_port);
  }
  return "";
}

}  // namespace

int runDesignCommand(const std::vector<std::string> &args) {
  if (args.size() > 1) throw Error(1201, {}, "", "powerflow design takes at most one FILE");
  const std::string path = args.empty() ? "rtl/design.toml" : args[0];
  const DesignSpec design = readDesign(path);
  fmt::print("design {} (top {}) from {}\n", design.name, design.top, path);
  fmt::print("rails: {} V; always-on domain on {} V\n", fmt::join(design.rail_voltages_v, " V, "),
             design.rail_voltages_v[design.always_on_rail]);
  if (design.clock.given)
    fmt::print("clock: {} MHz / {{{}}}, divider switch {} ns\n", design.clock.base_mhz,
               fmt::join(design.clock.dividers, ", "), design.clock.switch_time_ns);
  if (design.memory.given)
    fmt::print("external memory: {} MB/s\n", design.memory.bandwidth_mb_per_s);
  if (design.transitions.given)
    fmt::print("transitions: {}\n", transitionsText(design.transitions));
  for (const DomainSpec &domain : design.domains)
    fmt::print("  {:<12} {:<10} {}\n", domain.name, domainKindName(domain.kind),
               describeDomain(domain));
  return 0;
}

}  // namespace pf
