#include "flows/DesignCommand.hh"

#include <fmt/format.h>

#include <optional>

#include "core/Design.hh"

namespace pf {

const cli::Spec &designCommandLine() {
  static const cli::Spec spec = [] {
    cli::Spec s("powerflow design", "validate a design TOML and print its power domains");
    s.description(
        "Reads a design description, checks it (known fields, one always-on domain, unique\n"
        "names, ports and columns, 1 to 8 ascending rail voltages, file lists that exist) and\n"
        "prints its domains. Exit status 0 when the file is valid; otherwise the first problem\n"
        "is reported with file, line and field. The format is documented in docs/formats.md.");
    s.positional("FILE", "the design description").defaultValue("rtl/design.toml");
    return s;
  }();
  return spec;
}

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
  const std::optional<cli::Args> parsed = designCommandLine().parseOrPrintHelp(args);
  if (!parsed) return 0;
  const std::string path = parsed->text("FILE");
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
